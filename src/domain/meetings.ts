import type { IsoDate } from './dates.ts';
import { zonedInstant } from './schedule.ts';

/** A visit planned on a day ahead (issue 18 part 2): not a touch (§7) until it is logged. */
export interface PlannedVisit {
  id: number;
  accountId: number;
  ownerId: number;
  date: IsoDate;
  /** `HH:MM` local (MCR_TIMEZONE), or null: some time that day. */
  time: string | null;
  purpose: string | null;
  status: 'planned' | 'logged' | 'cancelled';
  /** The contacts to meet, in the order named. */
  contactIds: number[];
  activityId: number | null;
  createdBy: number | null;
}

/** A plan with no time is taken to be "during the day": its prompt comes at 17:00 local. */
export const DAY_END = '17:00';
/** The after-meeting prompt comes this long after the planned time. */
export const FOLLOW_UP_AFTER_MS = 2 * 60 * 60_000;
/** The morning brief comes at least this long before a meeting that starts before the reminder time. */
const BRIEF_LEAD_MS = 60 * 60_000;

/** `HH:MM`, 00:00 to 23:59. */
export function isTime(text: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(text);
}

/**
 * When the owner gets the morning brief and until when it is still worth sending: from
 * the reminder time on the plan's day (an hour before the meeting when that is earlier),
 * until the meeting starts (`DAY_END` when it has no time). A plan made after its brief
 * time is briefed at once, if the meeting is still ahead.
 */
export function briefWindow(plan: Pick<PlannedVisit, 'date' | 'time'>, reminderTime: string, zone: string): { from: Date; until: Date } {
  const start = zonedInstant(plan.date, plan.time ?? DAY_END, zone);
  const reminder = zonedInstant(plan.date, reminderTime, zone);
  const dayStart = zonedInstant(plan.date, '00:00', zone);
  const from = new Date(Math.max(dayStart.getTime(), Math.min(reminder.getTime(), start.getTime() - BRIEF_LEAD_MS)));
  return { from, until: start };
}

/** When "How did the meeting go?" is asked: two hours after the planned time, or at `DAY_END` with no time. */
export function followUpAt(plan: Pick<PlannedVisit, 'date' | 'time'>, zone: string): Date {
  if (plan.time === null) return zonedInstant(plan.date, DAY_END, zone);
  return new Date(zonedInstant(plan.date, plan.time, zone).getTime() + FOLLOW_UP_AFTER_MS);
}

/** Delivery keys: a moved plan (another day or time) is a new send; the same plan never twice. */
export function briefKey(plan: Pick<PlannedVisit, 'id' | 'date'>): string {
  return `meeting-brief:${plan.id}:${plan.date}`;
}

export function followUpKey(plan: Pick<PlannedVisit, 'id' | 'date' | 'time'>): string {
  return `meeting-followup:${plan.id}:${plan.date}T${plan.time ?? DAY_END}`;
}
