import { listPlannedVisits } from '../db/planned-visit.repository.ts';
import type { DbOrTrx } from '../db/create-db.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import { joinList, type Locale } from '../i18n/index.ts';
import { planViews } from './meetings.ts';

type Ref = { id: number; name: string };

/** A digest's "this week's meetings" (issue 18 part 2): a planned visit of the coming week. */
export interface DigestMeeting {
  id: number;
  date: IsoDate;
  time: string | null;
  account: Ref;
  contacts: Ref[];
  owner: Ref;
  purpose: string | null;
}

/** The days a digest sent on `to` looks ahead: its own day and the six after it. */
export const MEETING_DAYS = 7;

/**
 * The visits planned (not logged or cancelled) at the digest's accounts in the week that
 * starts on the day it is sent, by day and time. `ownerIds` collects their owners, so
 * the digest mentions them like everyone else it names.
 */
export async function listDigestMeetings(db: DbOrTrx, accountIds: readonly number[], from: IsoDate, ownerIds: Set<number>): Promise<Array<Omit<DigestMeeting, 'owner'> & { ownerId: number }>> {
  const plans = await listPlannedVisits(db, { status: 'planned', accountIds, from, to: addDays(from, MEETING_DAYS - 1) });
  return (await planViews(db, plans)).map((v) => {
    ownerIds.add(v.plan.ownerId);
    return {
      id: v.plan.id,
      date: v.plan.date,
      time: v.plan.time,
      account: { id: v.account.id, name: v.account.name },
      contacts: v.contacts.map((c) => ({ id: c.id, name: c.name })),
      ownerId: v.plan.ownerId,
      purpose: v.plan.purpose,
    };
  });
}

/** One line per meeting: "2026-12-01 10:00 · Acme · Tom Baker, Priya Nair — @alice". */
export function meetingLines(L: Locale, meetings: readonly DigestMeeting[], mention: (id: number) => string): string[] {
  return meetings.map((m) =>
    [[`${m.date}${m.time ? ` ${m.time}` : ''}`, m.account.name, joinList(L, m.contacts.map((c) => c.name))].filter(Boolean).join(' · '), mention(m.owner.id), m.purpose ?? ''].filter(Boolean).join(' — '),
  );
}
