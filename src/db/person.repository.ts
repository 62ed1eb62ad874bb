import type { Person } from '../domain/types.ts';
import { cleanText } from '../domain/text.ts';
import type { DbOrTrx } from './create-db.ts';
import { caselessLike } from './sql.ts';
import type { PersonRow } from './schema.ts';

export function toPerson(row: PersonRow): Person {
  return { id: row.id, name: row.name, email: row.email, slackId: row.slack_id, teamsId: row.teams_id, locale: row.locale };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function isEmail(text: string): boolean {
  return EMAIL.test(text);
}

export async function findPersonById(db: DbOrTrx, id: number): Promise<Person | undefined> {
  const row = await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toPerson(row);
}

export async function findPeopleByIds(db: DbOrTrx, ids: readonly number[]): Promise<Map<number, Person>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('people').selectAll().where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, toPerson(r)]));
}

/**
 * Finds one of our people by how a user or a CSV writes them: an email, a Slack or
 * Teams user id, or (for people entered by hand) their exact name.
 */
export async function findPersonByRef(db: DbOrTrx, ref: string): Promise<Person | undefined> {
  const text = ref.trim().replace(/^@/, '');
  const row = await db
    .selectFrom('people')
    .selectAll()
    .where((eb) =>
      eb.or([eb('email', '=', text.toLowerCase()), eb('slack_id', '=', text), eb('teams_id', '=', text), eb('local_user', '=', text), eb('name', '=', text)]),
    )
    .orderBy('id')
    .executeTakeFirst();
  return row && toPerson(row);
}

/** A person by reference, created when the reference is an email we have not seen. */
export async function ensurePersonByRef(db: DbOrTrx, ref: string, now: Date): Promise<Person | undefined> {
  const found = await findPersonByRef(db, ref);
  if (found) return found;
  const text = ref.trim().replace(/^@/, '');
  if (!isEmail(text)) return undefined;
  const row = await db
    .insertInto('people')
    .values({ name: text.split('@')[0]!, email: text.toLowerCase(), created_at: now.toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPerson(row);
}

export async function findLocalPerson(db: DbOrTrx, username: string): Promise<Person | undefined> {
  const row = await db.selectFrom('people').selectAll().where('local_user', '=', username).executeTakeFirst();
  return row && toPerson(row);
}

/** The operator at the local console or CLI, one record per OS user. */
export async function ensureLocalPerson(db: DbOrTrx, username: string, now: Date): Promise<Person> {
  const found = await findLocalPerson(db, username);
  if (found) return found;
  const created = await db
    .insertInto('people')
    .values({ name: username, local_user: username, created_at: now.toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPerson(created);
}

export async function listPeople(db: DbOrTrx, prefix = '', limit = 100): Promise<Person[]> {
  let query = db.selectFrom('people').selectAll().orderBy('name').limit(limit);
  if (prefix) query = query.where((eb) => eb.or([caselessLike('name', prefix, 'starts'), caselessLike('email', prefix, 'starts')]));
  return (await query.execute()).map(toPerson);
}

/** Gives a person a display name (the demo's sample people). */
export async function setPersonName(db: DbOrTrx, id: number, name: string): Promise<void> {
  await db.updateTable('people').set({ name }).where('id', '=', id).execute();
}

/** A chat platform's view of a user, as its API reports them. */
export interface PlatformUser {
  platform: 'slack' | 'teams';
  id: string;
  email: string | null;
  name: string;
  locale: string | null;
}

/**
 * The one person record for a platform user: found by their platform id, else linked
 * by email to the record another platform (or a CSV) made, else created. Keeps the
 * name and locale the platform reports.
 */
export async function linkPlatformPerson(db: DbOrTrx, given: PlatformUser, now: Date): Promise<Person> {
  // A profile name is the platform's, not typed to us, so it cannot be refused: it loses
  // control and invisible characters instead (domain/text.ts), like free text.
  const user = { ...given, name: cleanText(given.name ?? '', { multiline: false }).trim() };
  const idColumn = user.platform === 'slack' ? 'slack_id' : 'teams_id';
  const email = user.email?.toLowerCase() ?? null;
  const byId = await db.selectFrom('people').selectAll().where(idColumn, '=', user.id).executeTakeFirst();
  const byEmail = !byId && email ? await db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirst() : undefined;
  const found = byId ?? byEmail;
  if (found) {
    const name = user.name || found.name;
    const locale = user.locale ?? found.locale;
    // Every request links its user: write only when the platform says something new.
    if (byId && found.name === name && found.locale === locale && (found.email || !email)) return toPerson(found);
    const row = await db
      .updateTable('people')
      .set({ [idColumn]: user.id, name, locale, ...(email && !found.email && { email }) })
      .where('id', '=', found.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPerson(row);
  }
  const row = await db
    .insertInto('people')
    .values({ name: user.name || email || user.id, email, [idColumn]: user.id, locale: user.locale, created_at: now.toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPerson(row);
}
