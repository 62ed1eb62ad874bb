/**
 * Calendar dates as `YYYY-MM-DD` strings (how they are stored and shown). Day
 * arithmetic is done on UTC day numbers, so no time zone or DST can shift a date.
 */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;

/** The number written by the digits of `text` from `start` to `end`, or NaN if any is not a digit. */
function digits(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return NaN;
    n = n * 10 + digit;
  }
  return n;
}

/** Shaped `NNNN-NN-NN` (the digits checked as they are read). Dates are taken apart without a regular expression's match array: assessments read millions of them. */
const isDateShaped = (text: string) => text.length === 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45;

export function isIsoDate(value: string): boolean {
  if (!isDateShaped(value)) return false;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 7);
  const day = digits(value, 8, 10);
  // A digit missing makes the date invalid, and NaN equals nothing.
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export function dayNumber(date: IsoDate): number {
  const day = isDateShaped(date) ? Date.UTC(digits(date, 0, 4), digits(date, 5, 7) - 1, digits(date, 8, 10)) / MS_PER_DAY : NaN;
  if (Number.isNaN(day)) throw new RangeError(`not a date: ${date}`);
  return day;
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/**
 * The same day `months` later (or earlier), clamped to the end of a shorter month:
 * Aug 31 + 6 months is Feb 28 (29 in a leap year), never Mar 3 as `Date.setUTCMonth`
 * would roll over (mcr-model.md §6: a plan begun on Aug 31 with half a year).
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  if (!isIsoDate(date)) throw new RangeError(`not a date: ${date}`);
  const total = digits(date, 0, 4) * 12 + digits(date, 5, 7) - 1 + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return isoDate(year, month, Math.min(digits(date, 8, 10), last));
}

/**
 * One convention for every review (§1 tiers, §6 plans): a review falls due `cycleDays`
 * after the last one (or the start) and is due from that day on.
 */
export function reviewDue(lastOn: IsoDate, cycleDays: number, today: IsoDate): { dueOn: IsoDate; due: boolean; daysSince: number } {
  const daysSince = daysBetween(lastOn, today);
  return { dueOn: addDays(lastOn, cycleDays), due: daysSince >= cycleDays, daysSince };
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Is this an IANA time zone the runtime knows (`Asia/Shanghai`, `UTC`)? */
export function isTimeZone(zone: string | undefined): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const ZONE_READINGS = {
  /** `2026-11-30` */
  date: { locale: 'en-CA', options: { year: 'numeric', month: '2-digit', day: '2-digit' } },
  /** Year to second in parts, 24-hour. */
  instant: { locale: 'en-US', options: { hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' } },
} as const satisfies Record<string, { locale: string; options: Intl.DateTimeFormatOptions }>;

/** At most this many formatters kept: a zone may be any casing of its name, so the set is not bounded by the zones. */
const ZONE_FORMATTERS_KEPT = 1_000;
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A formatter reading an instant in a zone, kept per reading and zone: making one costs
 * far more than using it (the bot made one per request and per digest schedule: 2–3 % of
 * its main thread under bench --load). A zone the runtime does not know throws, as
 * `Intl.DateTimeFormat` does, and is not kept.
 */
export function zoneFormatter(reading: keyof typeof ZONE_READINGS, zone: string): Intl.DateTimeFormat {
  const key = `${reading} ${zone}`;
  let formatter = zoneFormatters.get(key);
  if (!formatter) {
    const { locale, options } = ZONE_READINGS[reading];
    formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    if (zoneFormatters.size >= ZONE_FORMATTERS_KEPT) zoneFormatters.clear();
    zoneFormatters.set(key, formatter);
  }
  return formatter;
}

/** Today's date in an IANA zone: the calendar day a user there sees at `now`. */
export function todayIn(zone: string, now: Date): IsoDate {
  return zoneFormatter('date', zone).format(now);
}

/** Is `date` within the `days` days that end on `end` (both ends included)? */
export function withinDaysUpTo(date: IsoDate, end: IsoDate, days: number): boolean {
  const gap = daysBetween(date, end);
  return gap >= 0 && gap < days;
}

/**
 * A birthday as typed: `MM-DD`, or `YYYY-MM-DD` when the year is known (§2). Feb 29
 * is a valid birthday; `null` when it is not a date.
 */
export function parseBirthday(text: string): { monthDay: string; year: number | null } | null {
  const m = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m || !isIsoDate(`${m[1] ?? '2024'}-${m[2]}-${m[3]}`)) return null;
  return { monthDay: `${m[2]}-${m[3]}`, year: m[1] ? Number(m[1]) : null };
}
