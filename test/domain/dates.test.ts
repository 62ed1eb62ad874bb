import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dayNumber, daysBetween, isIsoDate, reviewDue, todayIn } from '../../src/domain/dates.ts';

describe('calendar dates (YYYY-MM-DD)', () => {
  it('accept real days only, in exactly that shape', () => {
    for (const good of ['2026-11-24', '2024-02-29', '2000-02-29', '1999-12-31', '2026-01-01']) expect(isIsoDate(good), good).toBe(true);
    for (const bad of ['2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '2026/01/01', ' 2026-01-01', '2026-01-01 ', '2026-0a-01', '２０２６-01-01', '', 'yesterday']) {
      expect(isIsoDate(bad), bad).toBe(false);
    }
  });

  it('count days across months, leap years and years', () => {
    expect(daysBetween('2026-02-28', '2026-03-01')).toBe(1);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
    expect(daysBetween('2026-11-24', '2025-11-24')).toBe(-365);
    expect(addDays('2026-11-24', 7)).toBe('2026-12-01');
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(() => dayNumber('2026-1-01')).toThrow(RangeError);
    expect(() => dayNumber('not a date')).toThrow(/not a date/);
  });

  it('add months on the calendar, clamping at the end of a shorter month', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-12-31', 12)).toBe('2027-12-31');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-01-10', -13)).toBe('2024-12-10');
    expect(() => addMonths('2026-02-30', 1)).toThrow(RangeError);
  });

  it('make a review due on the day its cycle ends', () => {
    expect(reviewDue('2026-01-01', 30, '2026-01-30')).toEqual({ dueOn: '2026-01-31', due: false, daysSince: 29 });
    expect(reviewDue('2026-01-01', 30, '2026-01-31')).toEqual({ dueOn: '2026-01-31', due: true, daysSince: 30 });
  });

  it("give today's date in each zone asked, a zone's formatter kept without mixing zones up", () => {
    const at = new Date('2026-11-29T20:30:00Z');
    for (let round = 0; round < 3; round++) {
      expect(todayIn('Asia/Shanghai', at)).toBe('2026-11-30');
      expect(todayIn('America/New_York', at)).toBe('2026-11-29');
      expect(todayIn('UTC', at)).toBe('2026-11-29');
      expect(todayIn('asia/SHANGHAI', at)).toBe('2026-11-30');
    }
    expect(() => todayIn('Mars/Olympus', at)).toThrow(RangeError);
    // Any casing is a zone (1,200 distinct here, the slash having none): past the formatters kept, they are made again, and still right.
    const casings = Array.from({ length: 2_400 }, (_, i) => [...'asia/shanghai'].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join(''));
    for (const zone of casings) expect(todayIn(zone, at)).toBe('2026-11-30');
  });
});
