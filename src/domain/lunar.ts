import { Lunar, LunarYear } from 'lunar-typescript';
import { isLeapYear, isoDate, type IsoDate } from './dates.ts';

/**
 * §8 holiday dates. A holiday is `MM-DD` (Gregorian) or `lunar:MM-DD` (Chinese lunar
 * calendar). Lunar dates come from lunar-typescript (6tail's tables, which agree with
 * the Hong Kong Observatory's 1901–2100 tables; Node's Intl Chinese calendar does not
 * in some years). Tests pin published dates.
 */
export interface HolidaySpec {
  lunar: boolean;
  month: number;
  day: number;
}

const SPEC = /^(lunar:)?(\d{1,2})-(\d{1,2})$/;

/** Parses `MM-DD` or `lunar:MM-DD`; `null` when it is neither. */
export function parseHolidaySpec(text: string): HolidaySpec | null {
  const m = SPEC.exec(text.trim().toLowerCase());
  if (!m) return null;
  const lunar = m[1] !== undefined;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  if (lunar ? day > 30 : day > new Date(Date.UTC(2024, month, 0)).getUTCDate()) return null;
  return { lunar, month, day };
}

export function formatHolidaySpec(spec: HolidaySpec): string {
  return `${spec.lunar ? 'lunar:' : ''}${String(spec.month).padStart(2, '0')}-${String(spec.day).padStart(2, '0')}`;
}

/** A month-day in a Gregorian year; Feb 29 falls on Feb 28 in common years (§8 birthdays). */
export function monthDayIn(year: number, month: number, day: number): IsoDate {
  if (month === 2 && day === 29 && !isLeapYear(year)) return isoDate(year, 2, 28);
  return isoDate(year, month, day);
}

/** The Gregorian date of a lunar month-day in a lunar year; day 30 of a 29-day month is its last day (除夕). */
export function lunarToGregorian(lunarYear: number, month: number, day: number): IsoDate {
  const days = LunarYear.fromYear(lunarYear).getMonth(month)?.getDayCount() ?? 30;
  return Lunar.fromYmd(lunarYear, month, Math.min(day, days)).getSolar().toYmd();
}

/**
 * Every date in Gregorian `year` on which the holiday falls (§8: "converted to the
 * calendar year's Gregorian date"). A lunar date falls in a Gregorian year from the
 * lunar year before or the same one, so it can fall twice or, rarely, not at all.
 */
export function holidayDatesIn(spec: HolidaySpec, year: number): IsoDate[] {
  if (!spec.lunar) return [monthDayIn(year, spec.month, spec.day)];
  // A conversion builds the lunar year's tables (about a millisecond); the answer never changes.
  const key = `${spec.month}-${spec.day}@${year}`;
  const known = lunarDates.get(key);
  if (known) return known;
  const dates: IsoDate[] = [];
  for (const lunarYear of [year - 1, year]) {
    const date = lunarToGregorian(lunarYear, spec.month, spec.day);
    if (Number(date.slice(0, 4)) === year) dates.push(date);
  }
  lunarDates.set(key, dates);
  return dates;
}

const lunarDates = new Map<string, IsoDate[]>();

/** The default holiday list (§8, issue 3): admins edit it with the `holiday` command. */
export const DEFAULT_HOLIDAYS = [
  { code: 'new_year', date: '01-01' },
  { code: 'spring_festival', date: 'lunar:01-01' },
  { code: 'dragon_boat', date: 'lunar:05-05' },
  { code: 'mid_autumn', date: 'lunar:08-15' },
  { code: 'national_day', date: '10-01' },
] as const;
