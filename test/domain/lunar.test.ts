import { describe, expect, it } from 'vitest';
import { holidayDatesIn, lunarToGregorian, monthDayIn, parseHolidaySpec } from '../../src/domain/lunar.ts';

const lunar = (month: number, day: number) => ({ lunar: true, month, day });

describe('§8 lunar holidays against the Hong Kong Observatory tables', () => {
  it.each([
    [2020, '2020-01-25'], [2021, '2021-02-12'], [2022, '2022-02-01'], [2023, '2023-01-22'], [2024, '2024-02-10'],
    [2025, '2025-01-29'], [2026, '2026-02-17'], [2027, '2027-02-06'], [2028, '2028-01-26'],
  ])('Spring Festival %i is %s', (year, date) => expect(holidayDatesIn(lunar(1, 1), year)).toEqual([date]));

  it.each([[2024, '2024-06-10'], [2025, '2025-05-31'], [2026, '2026-06-19']])('Dragon Boat %i is %s', (year, date) => expect(holidayDatesIn(lunar(5, 5), year)).toEqual([date]));

  it.each([[2023, '2023-09-29'], [2024, '2024-09-17'], [2025, '2025-10-06'], [2026, '2026-09-25']])('Mid-Autumn %i is %s', (year, date) => expect(holidayDatesIn(lunar(8, 15), year)).toEqual([date]));

  it('day 30 of a 29-day twelfth month is its last day (除夕)', () => {
    // Lunar year 2025's twelfth month has 29 days: New Year's Eve is the day before Spring Festival 2026.
    expect(lunarToGregorian(2025, 12, 30)).toBe('2026-02-16');
    expect(lunarToGregorian(2023, 12, 30)).toBe('2024-02-09');
  });

  it('a lunar date late in the lunar year falls in the next Gregorian year', () => {
    // 腊八 (lunar 12-08) of lunar year 2025 is 2026-01-26; that of lunar year 2026 is 2027-01-15.
    expect(holidayDatesIn(lunar(12, 8), 2026)).toEqual(['2026-01-26']);
    expect(holidayDatesIn(lunar(12, 8), 2027)).toEqual(['2027-01-15']);
  });
});

describe('§8 holiday specs and Gregorian dates', () => {
  it('parses MM-DD and lunar:MM-DD, and rejects the rest', () => {
    expect(parseHolidaySpec('01-01')).toEqual({ lunar: false, month: 1, day: 1 });
    expect(parseHolidaySpec('lunar:08-15')).toEqual({ lunar: true, month: 8, day: 15 });
    expect(parseHolidaySpec('LUNAR:1-1')).toEqual({ lunar: true, month: 1, day: 1 });
    for (const bad of ['13-01', '02-30', 'lunar:01-31', 'foo', '', '00-10']) expect(parseHolidaySpec(bad), bad).toBeNull();
  });

  it('Feb 29 falls on Feb 28 in common years', () => {
    expect(monthDayIn(2027, 2, 29)).toBe('2027-02-28');
    expect(monthDayIn(2028, 2, 29)).toBe('2028-02-29');
    expect(holidayDatesIn({ lunar: false, month: 10, day: 1 }, 2026)).toEqual(['2026-10-01']);
  });
});
