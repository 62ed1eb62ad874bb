import { attitudeAt, attitudeWithTrend, type Trend } from './attitude.ts';
import { addDays, type IsoDate } from './dates.ts';
import type { Level } from './model.ts';
import type { Rules } from './rules.ts';
import type { Rating } from './types.ts';

export interface AttitudeChange {
  contactId: number;
  from: Level | null;
  to: Level | null;
  trend: Trend | null;
  /** Who rated last in the period, and when. */
  ratedBy: number | null;
  date: IsoDate;
}

/**
 * A digest's attitude changes (§3) for the period `from` … the day before `to`: the
 * contacts rated in it whose level is now different from the day before the period,
 * or whose trend is down. Unknown is not neutral: a first rating is a change from
 * unknown.
 */
export function attitudeChanges(ratings: readonly Rating[], from: IsoDate, to: IsoDate, rules: Rules): AttitudeChange[] {
  const byContact = new Map<number, Rating[]>();
  for (const r of ratings) byContact.set(r.contactId, [...(byContact.get(r.contactId) ?? []), r]);
  const last = addDays(to, -1);
  const changes: AttitudeChange[] = [];
  for (const [contactId, list] of byContact) {
    const inPeriod = list.filter((r) => r.date >= from && r.date <= last).sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
    const latest = inPeriod.at(-1);
    if (!latest) continue;
    const before = attitudeAt(list, addDays(from, -1), rules)?.level ?? null;
    const now = attitudeWithTrend(list, last, rules);
    const level = now.current?.level ?? null;
    if (level === before && now.trend !== 'down') continue;
    changes.push({ contactId, from: before, to: level, trend: now.trend, ratedBy: latest.ratedBy, date: latest.date });
  }
  return changes.sort((a, b) => a.date.localeCompare(b.date) || a.contactId - b.contactId);
}
