import type { AccountSnapshot } from '../domain/assess.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { Rules } from '../domain/rules.ts';
import type { Account } from '../domain/types.ts';
import { listActivityFacts } from './activity.repository.ts';
import { listContactsOfAccount } from './contact.repository.ts';
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
