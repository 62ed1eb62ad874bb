import { describe, expect, it } from 'vitest';
import { addDays, dayNumber, daysBetween, isIsoDate } from '../../src/domain/dates.ts';

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
});
