import { describe, expect, it } from 'vitest';
import { isWorkingDay, lastSlot, nextSlot, previousSlot, weekdayOf, zonedInstant, type Schedule } from '../../src/domain/schedule.ts';

const iso = (d: Date) => d.toISOString().slice(0, 16);

describe('schedules (issue 7: each subscription fires at its local time)', () => {
  it('knows the weekday of a date (1 = Monday)', () => {
    expect([weekdayOf('2026-11-23'), weekdayOf('2026-11-25'), weekdayOf('2026-11-29'), weekdayOf('1970-01-01')]).toEqual([1, 3, 7, 4]);
    expect(isWorkingDay('2026-11-27')).toBe(true);
    expect(isWorkingDay('2026-11-28')).toBe(false);
  });

  it.each([
    // America/New_York: clocks go forward on 2026-03-08 and back on 2026-11-01.
    ['2026-03-02', '09:00', 'America/New_York', '2026-03-02T14:00'],
    ['2026-03-09', '09:00', 'America/New_York', '2026-03-09T13:00'],
    ['2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:30'],
    ['2026-10-26', '09:00', 'America/New_York', '2026-10-26T13:00'],
    ['2026-11-02', '09:00', 'America/New_York', '2026-11-02T14:00'],
    ['2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30'],
    ['2026-11-30', '09:00', 'Asia/Shanghai', '2026-11-30T01:00'],
    ['2026-11-30', '00:30', 'Asia/Shanghai', '2026-11-29T16:30'],
  ])('%s %s in %s is %s UTC', (date, time, zone, utc) => {
    expect(iso(zonedInstant(date, time, zone))).toBe(utc);
  });

  it('a weekly Monday 09:00 New York digest fires at 09:00 local on both sides of the March and November changes', () => {
    const ny: Schedule = { frequency: 'weekly', weekday: 1, time: '09:00', timezone: 'America/New_York' };
    expect(iso(nextSlot(ny, new Date('2026-03-03T00:00Z')).at)).toBe('2026-03-09T13:00');
    expect(iso(nextSlot(ny, new Date('2026-10-27T00:00Z')).at)).toBe('2026-11-02T14:00');
    // One minute before is still the previous week's slot.
    expect(lastSlot(ny, new Date('2026-03-09T12:59Z')).date).toBe('2026-03-02');
    expect(lastSlot(ny, new Date('2026-03-09T13:00Z')).key).toBe('2026-03-09T09:00');
  });

  it('a weekly Monday 09:00 Shanghai digest: its week runs Monday to Monday in Shanghai', () => {
    const sh: Schedule = { frequency: 'weekly', weekday: 1, time: '09:00', timezone: 'Asia/Shanghai' };
    // Sunday 23:30 UTC is Monday 07:30 in Shanghai: not yet due.
    expect(lastSlot(sh, new Date('2026-11-29T23:30Z')).date).toBe('2026-11-23');
    const due = lastSlot(sh, new Date('2026-11-30T01:00Z'));
    expect(due.date).toBe('2026-11-30');
    expect(previousSlot(sh, due).date).toBe('2026-11-23');
  });

  it('a daily digest is due every day at its time', () => {
    const daily: Schedule = { frequency: 'daily', weekday: 1, time: '17:30', timezone: 'UTC' };
    expect(lastSlot(daily, new Date('2026-11-25T17:29Z')).date).toBe('2026-11-24');
    expect(lastSlot(daily, new Date('2026-11-25T17:30Z')).date).toBe('2026-11-25');
  });
});
