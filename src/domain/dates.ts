/**
 * Calendar dates as `YYYY-MM-DD` strings (how they are stored and shown). Day
 * arithmetic is done on UTC day numbers, so no time zone or DST can shift a date.
 */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function dayNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY;
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
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

/** Today's date in an IANA zone: the calendar day a user there sees at `now`. */
export function todayIn(zone: string, now: Date): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
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
