import { groupBy } from '../domain/collections.ts';
import type { DbOrTrx } from './create-db.ts';
import type { AccountRow, ContactRow } from './schema.ts';

/**
 * Whole tables read in id order: export pages through activities and ratings without
 * holding them in memory; accounts, contacts and people are read whole, by export and
 * by an import's lookups, except the contacts an activity or rating import matches
 * names against, read a page at a time.
 */

export async function allAccountRows(db: DbOrTrx): Promise<AccountRow[]> {
  return db.selectFrom('accounts').selectAll().orderBy('id').execute();
}

export async function allContactRows(db: DbOrTrx): Promise<ContactRow[]> {
  return db.selectFrom('contacts').selectAll().orderBy('id').execute();
}

/** What matching an account by name needs, and no more: the imports that name accounts hold every account's. */
export async function allAccountNames(db: DbOrTrx): Promise<Array<Pick<AccountRow, 'id' | 'name' | 'name_key'>>> {
  return db.selectFrom('accounts').select(['id', 'name', 'name_key']).orderBy('id').execute();
}

/**
 * Every contact's id, account and name, a page at a time: what an activity or rating import
 * matches names against (a million contacts at ×10 read at once were a million rows alive at once).
 */
export async function* pageContactNames(db: DbOrTrx, pageSize = 10_000) {
  let after = 0;
  for (;;) {
    const page = await db.selectFrom('contacts').select(['id', 'account_id', 'name']).where('id', '>', after).orderBy('id').limit(pageSize).execute();
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)!.id;
  }
}

/** One account's contacts by name key: for a name an import spells otherwise than stored. */
export async function contactKeysOf(db: DbOrTrx, accountId: number) {
  return db.selectFrom('contacts').select(['id', 'name_key']).where('account_id', '=', accountId).execute();
}

export async function allPeopleRefs(db: DbOrTrx) {
  return db.selectFrom('people').select(['id', 'name', 'email', 'slack_id', 'teams_id', 'local_user']).orderBy('id').execute();
}

/** Pages through a table in id order, for export without holding it all in memory. */
export async function* pageActivities(db: DbOrTrx, pageSize = 5000) {
  let after = 0;
  for (;;) {
    const page = await db
      .selectFrom('activities')
      .innerJoin('accounts', 'accounts.id', 'activities.account_id')
      .select(['activities.id', 'activities.date', 'accounts.name as account', 'activities.type', 'activities.stage', 'activities.purpose', 'activities.summary'])
      .where('activities.id', '>', after)
      .orderBy('activities.id')
      .limit(pageSize)
      .execute();
    if (page.length === 0) return;
    const ids = page.map((p) => p.id);
    const contacts = await db
      .selectFrom('activity_contacts')
      .innerJoin('contacts', 'contacts.id', 'activity_contacts.contact_id')
      .select(['activity_contacts.activity_id', 'contacts.name'])
      .where('activity_contacts.activity_id', 'in', ids)
      .orderBy('contacts.name')
      .execute();
    const attendees = await db
      .selectFrom('activity_attendees')
      .innerJoin('people', 'people.id', 'activity_attendees.person_id')
      .select(['activity_attendees.activity_id', 'people.email', 'people.slack_id', 'people.teams_id', 'people.name'])
      .where('activity_attendees.activity_id', 'in', ids)
      .execute();
    const names = groupBy(contacts, (c) => c.activity_id);
    const people = groupBy(attendees, (a) => a.activity_id);
    yield page.map((p) => ({
      ...p,
      contacts: (names.get(p.id) ?? []).map((c) => c.name),
      attendees: (people.get(p.id) ?? []).map((a) => a.email ?? a.slack_id ?? a.teams_id ?? a.name),
    }));
    after = ids[ids.length - 1]!;
  }
}

export async function* pageRatings(db: DbOrTrx, pageSize = 5000) {
  let after = 0;
  for (;;) {
    const page = await db
      .selectFrom('ratings')
      .innerJoin('contacts', 'contacts.id', 'ratings.contact_id')
      .innerJoin('accounts', 'accounts.id', 'contacts.account_id')
      .leftJoin('people', 'people.id', 'ratings.rated_by')
      .select([
        'ratings.id', 'ratings.date', 'accounts.name as account', 'contacts.name as contact', 'people.email', 'people.slack_id', 'people.teams_id', 'people.name as rater',
        'ratings.acceptance', 'ratings.participation', 'ratings.project_support', 'ratings.information', 'ratings.guidance', 'ratings.competition',
      ])
      .where('ratings.id', '>', after)
      .orderBy('ratings.id')
      .limit(pageSize)
      .execute();
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.id;
  }
}
