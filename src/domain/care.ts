import { addDays, daysBetween, yearOf, type IsoDate } from './dates.ts';
import { holidayDatesIn, monthDayIn, parseHolidaySpec } from './lunar.ts';
import { isKey } from './model.ts';
import type { Rules } from './rules.ts';
import type { ActivityFact, Contact, Holiday } from './types.ts';

export type CareItem =
  | { kind: 'birthday'; date: IsoDate; daysAway: number; contactId: number }
  | { kind: 'holiday'; date: IsoDate; daysAway: number; holiday: Holiday; contactIds: number[] };

/** Dates in the window [today, today + ahead] on which a yearly event falls. */
function datesInWindow(today: IsoDate, ahead: number, datesIn: (year: number) => IsoDate[]): IsoDate[] {
  const end = addDays(today, ahead);
  const years = new Set([yearOf(today), yearOf(end)]);
  return [...years].flatMap(datesIn).filter((date) => date >= today && date <= end);
}

/**
 * §8 routine care in the next `careAheadDays` days (today included): contacts'
 * birthdays (Feb 29 on Feb 28 in common years) and the workspace's holidays for the
 * key contacts. A reminder is satisfied, and left out, by a `care` activity with that
 * contact from `careAheadDays` before the date up to the date.
 */
export function upcomingCare(
  contacts: readonly Pick<Contact, 'id' | 'role' | 'birthday'>[],
  holidays: readonly Holiday[],
  activities: readonly ActivityFact[],
  today: IsoDate,
  rules: Rules,
): CareItem[] {
  const ahead = rules.careAheadDays;
  const cared = (contactId: number, date: IsoDate) =>
    activities.some((a) => a.type === 'care' && a.contactIds.includes(contactId) && a.date <= date && daysBetween(a.date, date) <= ahead);

  const items: CareItem[] = [];
  for (const contact of contacts) {
    if (!contact.birthday) continue;
    const [month, day] = contact.birthday.split('-').map(Number) as [number, number];
    for (const date of datesInWindow(today, ahead, (year) => [monthDayIn(year, month, day)])) {
      if (!cared(contact.id, date)) items.push({ kind: 'birthday', date, daysAway: daysBetween(today, date), contactId: contact.id });
    }
  }
  const keyContacts = contacts.filter((c) => isKey(c.role));
  for (const holiday of holidays) {
    const spec = parseHolidaySpec(holiday.date);
    if (!spec) continue;
    for (const date of datesInWindow(today, ahead, (year) => holidayDatesIn(spec, year))) {
      const contactIds = keyContacts.filter((c) => !cared(c.id, date)).map((c) => c.id);
      if (contactIds.length > 0) items.push({ kind: 'holiday', date, daysAway: daysBetween(today, date), holiday, contactIds });
    }
  }
  return items.sort((a, b) => a.date.localeCompare(b.date));
}
