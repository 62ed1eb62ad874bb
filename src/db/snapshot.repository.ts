import type { AccountSnapshot } from '../domain/assess.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { Rules } from '../domain/rules.ts';
import type { Account } from '../domain/types.ts';
import { groupBy } from '../domain/collections.ts';
import { listActivityFacts, listActivityFactsOf } from './activity.repository.ts';
import { listContactsOfAccount, listContactsOfAccounts } from './contact.repository.ts';
import type { DbOrTrx } from './create-db.ts';
import { listHolidays } from './holiday.repository.ts';
import { listOpenPlans } from './plan.repository.ts';
import { listRatingsForAttitude } from './rating.repository.ts';

/** Loads what {@link assessAccount} needs to judge one account. */
export async function loadAccountSnapshot(db: DbOrTrx, account: Account, today: IsoDate, rules: Rules): Promise<AccountSnapshot> {
  const [contacts, activities, holidays] = await Promise.all([listContactsOfAccount(db, account.id), listActivityFacts(db, account.id), listHolidays(db)]);
  const contactIds = contacts.map((c) => c.id);
  const [ratings, plans] = await Promise.all([
    listRatingsForAttitude(db, contactIds, today, rules.attitudeWindowDays, rules.trendLookbackDays),
    listOpenPlans(db, contactIds),
  ]);
  return { account, contacts, activities, ratings, plans, holidays };
}

/** Accounts loaded together: a few queries for a whole chunk instead of five per account. */
const CHUNK = 200;

/**
 * Snapshots of many accounts (digests, reminders), a chunk at a time so memory stays
 * bounded: the same content as {@link loadAccountSnapshot}, one account after another.
 */
export async function* eachAccountSnapshot(db: DbOrTrx, accounts: readonly Account[], today: IsoDate, rules: Rules): AsyncGenerator<AccountSnapshot> {
  const holidays = await listHolidays(db);
  for (let i = 0; i < accounts.length; i += CHUNK) {
    const chunk = accounts.slice(i, i + CHUNK);
    const ids = chunk.map((a) => a.id);
    const [contacts, activities] = await Promise.all([listContactsOfAccounts(db, ids), listActivityFactsOf(db, ids)]);
    const contactIds = contacts.map((c) => c.id);
    const [ratings, plans] = await Promise.all([
      listRatingsForAttitude(db, contactIds, today, rules.attitudeWindowDays, rules.trendLookbackDays),
      listOpenPlans(db, contactIds),
    ]);
    const contactsOf = groupBy(contacts, (c) => c.accountId);
    const accountOf = new Map(contacts.map((c) => [c.id, c.accountId]));
    const ratingsOf = groupBy(ratings, (r) => accountOf.get(r.contactId)!);
    const plansOf = groupBy(plans, (p) => accountOf.get(p.contactId)!);
    for (const account of chunk) {
      yield { account, contacts: contactsOf.get(account.id) ?? [], activities: activities.get(account.id) ?? [], ratings: ratingsOf.get(account.id) ?? [], plans: plansOf.get(account.id) ?? [], holidays };
    }
  }
}
