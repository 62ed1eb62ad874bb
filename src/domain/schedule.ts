import { addDays, dayNumber, todayIn, zoneFormatter, type IsoDate } from './dates.ts';

/** When a digest fires: weekly on a weekday, or daily, at a local time in a zone. */
export interface Schedule {
  frequency: 'weekly' | 'daily';
  /** 1 = Monday … 7 = Sunday; ignored for daily. */
  weekday: number;
  /** `HH:MM`, wall-clock time in `timezone`. */
  time: string;
  timezone: string;
}

/** One firing of a schedule: the local day it belongs to and the instant it is due. */
export interface Slot {
  date: IsoDate;
  at: Date;
  /** Stable across restarts and instances: `2026-11-30T09:00`. */
  key: string;
}

/** 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(date: IsoDate): number {
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(zone: string, at: Date): number {
  const parts = Object.fromEntries(
    zoneFormatter('instant', zone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a local wall-clock time happens in a zone, across DST changes: a time
 * skipped by the spring change (02:30 in New York) happens at the same distance
 * after the change (03:30); a time that happens twice in autumn is the first.
 */
export function zonedInstant(date: IsoDate, time: string, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const first = offsetMinutes(zone, new Date(wall - offsetMinutes(zone, new Date(wall)) * 60_000));
  const candidates = [first, offsetMinutes(zone, new Date(wall - first * 60_000))];
  // The earliest instant whose local reading is this wall time; else (a skipped time) the later offset.
  const exact = candidates.map((o) => wall - o * 60_000).filter((t) => wall - offsetMinutes(zone, new Date(t)) * 60_000 === t).sort((a, b) => a - b);
  return new Date(exact[0] ?? wall - Math.min(...candidates) * 60_000);
}

function slotOn(date: IsoDate, schedule: Schedule): Slot {
  return { date, at: zonedInstant(date, schedule.time, schedule.timezone), key: `${date}T${schedule.time}` };
}

/** The latest slot at or before `now` (the one that is due, or was last due). */
export function lastSlot(schedule: Schedule, now: Date): Slot {
  const today = todayIn(schedule.timezone, now);
  let date = today;
  if (schedule.frequency === 'weekly') date = addDays(today, -((weekdayOf(today) - schedule.weekday + 7) % 7));
  const slot = slotOn(date, schedule);
  if (slot.at.getTime() <= now.getTime()) return slot;
  return slotOn(addDays(date, schedule.frequency === 'weekly' ? -7 : -1), schedule);
}

/** The slot before this one: the start of the period a digest reports on. */
export function previousSlot(schedule: Schedule, slot: Slot): Slot {
  return slotOn(addDays(slot.date, schedule.frequency === 'weekly' ? -7 : -1), schedule);
}

/** The first slot after `now`. */
export function nextSlot(schedule: Schedule, now: Date): Slot {
  const last = lastSlot(schedule, now);
  return slotOn(addDays(last.date, schedule.frequency === 'weekly' ? 7 : 1), schedule);
}

/** Monday to Friday: the days personal reminders go out. */
export function isWorkingDay(date: IsoDate): boolean {
  return weekdayOf(date) <= 5;
}
