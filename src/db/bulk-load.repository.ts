import { sql, type Insertable, type Transaction } from 'kysely';
import type { Db, DbOrTrx } from './create-db.ts';
import { engineOf } from './sql.ts';
import { insertMany, insertValues, storedValues } from './statement-cache.ts';
import type { AccountRow, AccountsTable, ActivitiesTable, ContactRow, ContactsTable, Database, RatingsTable } from './schema.ts';

/**
 * Batched writes for CSV import: a few statements per hundreds of rows (through the
 * statement cache), so a large file goes in fast. Callers pass one open transaction.
 */

/** A new person known by one reference (an email or a platform id); their id. */
export async function insertPersonRow(db: DbOrTrx, name: string, ref: { email: string } | { slack_id: string } | { teams_id: string }, now: Date): Promise<number> {
  const [column, value] = Object.entries(ref)[0]!;
  const [id] = await insertValues(db, 'people', ['name', column, 'created_at'], [name, value, now.toISOString()], true);
  return id!;
}

const ACCOUNT_COLUMNS = [
  'name', 'name_key', 'tier', 'industry', 'region', 'contribution', 'credit', 'potential', 'account_manager_id', 'solution_manager_id',
  'delivery_manager_id', 'sponsor_id', 'tier_set_on', 'tier_reviewed_on', 'created_on', 'updated_at',
] as const satisfies ReadonlyArray<keyof AccountRow>;

/** New accounts (absent columns null); their ids, in order. */
export async function insertAccountRows(db: DbOrTrx, rows: Insertable<AccountsTable>[]): Promise<number[]> {
  return insertValues(db, 'accounts', ACCOUNT_COLUMNS, storedValues(rows, ACCOUNT_COLUMNS), true);
}

const TIER_CHANGE_COLUMNS = ['account_id', 'kind', 'from_tier', 'to_tier', 'reason', 'changed_by', 'changed_on', 'changed_at'] as const;

export async function insertTierChangeRows(db: DbOrTrx, rows: Array<{ account_id: number; from_tier: string | null; to_tier: string; reason: string; changed_by: number | null; changed_on: string; changed_at: string }>): Promise<void> {
  const values: unknown[] = [];
  for (const r of rows) values.push(r.account_id, 'set', r.from_tier, r.to_tier, r.reason, r.changed_by, r.changed_on, r.changed_at);
  await insertValues(db, 'tier_changes', TIER_CHANGE_COLUMNS, values, false);
}

export async function updateAccountRow(db: DbOrTrx, id: number, set: Partial<AccountRow>): Promise<void> {
  await db.updateTable('accounts').set(set).where('id', '=', id).execute();
}

const CONTACT_COLUMNS = [
  'account_id', 'name', 'name_key', 'title', 'department', 'position', 'role', 'owner_a_id', 'owner_b_id', 'owner_c_id', 'style', 'need_level',
  'birthday', 'birth_year', 'rising_star', 'notes', 'created_on', 'updated_at',
] as const satisfies ReadonlyArray<keyof ContactRow>;

/** New contacts (absent columns null, the schema's defaults for role and rising star). */
export async function insertContactRows(db: DbOrTrx, rows: Insertable<ContactsTable>[]): Promise<void> {
  // The schema's defaults for role and rising star, which a null would override.
  await insertValues(db, 'contacts', CONTACT_COLUMNS, storedValues(rows.map((r) => ({ ...r, role: r.role ?? 'none', rising_star: r.rising_star ?? 0 })), CONTACT_COLUMNS), false);
}

export async function updateContactRow(db: DbOrTrx, id: number, set: Partial<ContactRow>): Promise<void> {
  await db.updateTable('contacts').set(set).where('id', '=', id).execute();
}

/**
 * Runs `load` in one transaction, for a bulk load whose every reference was looked up
 * in that same transaction (an import's accounts, contacts and people): on SQLite,
 * foreign keys are not checked meanwhile. Each checked reference costs SQLite a search
 * of the parent table, two or three per row, and found nothing the lookups had not
 * (a million activities load in two thirds of the time). SQLite ignores the setting
 * inside a transaction, so it is changed around one, on the connection pinned for it,
 * and restored however the transaction ends. PostgreSQL keeps its checks.
 */
export async function bulkTransaction<T>(db: Db, load: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (engineOf(db) !== 'sqlite') return db.transaction().execute(load);
  return db.connection().execute(async (connection) => {
    await sql`pragma foreign_keys = off`.execute(connection);
    try {
      return await connection.transaction().execute(load);
    } finally {
      await sql`pragma foreign_keys = on`.execute(connection);
    }
  });
}

/**
 * Runs `load`, a bulk load inside an open transaction. Into an empty table (SQLite),
 * the table's secondary non-unique indexes are dropped first and built again once the
 * rows are in (a refused load rolls their dropping back with the rest). Building an
 * index over a million rows sorts once; keeping it while inserting puts every key at a
 * random place in a tree larger than the cache (activities load 1.5× faster). Unique
 * indexes stay: they are the duplicate check. PostgreSQL keeps its indexes (dropping
 * one locks readers out for the whole load).
 */
export async function withBulkLoad<T>(db: DbOrTrx, tables: LoadedTables, load: () => Promise<T>): Promise<T> {
  const [table] = tables;
  if (engineOf(db) !== 'sqlite' || !table || !(await tableIsEmpty(db, table))) return load();
  const { rows: indexes } = await sql<{ name: string; sql: string }>`
    select name, sql from sqlite_master
    where type = 'index' and sql is not null and sql not like 'create unique%' and tbl_name in (${sql.join(tables)})`.execute(db);
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(db);
  const result = await load();
  for (const index of indexes) await sql.raw(index.sql).execute(db);
  return result;
}

/** Tables a CSV import fills (and may find empty). */
type ImportedTable = 'contacts' | 'activities' | 'ratings';
/** What a bulk load fills: a table, then the tables linked to it (empty when it is). */
export type LoadedTables = readonly [] | readonly [table: ImportedTable, ...linked: Array<'activity_contacts' | 'activity_attendees'>];

/** Does the table hold any row yet? */
export async function tableIsEmpty(db: DbOrTrx, table: ImportedTable): Promise<boolean> {
  return (await db.selectFrom(table).select('id').limit(1).execute()).length === 0;
}

/** Which of these content keys are already stored (activities or ratings). */
export async function existingContentKeys(db: DbOrTrx, table: 'activities' | 'ratings', keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom(table).select('content_key').where('content_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.content_key));
}

const ACTIVITY_COLUMNS = ['account_id', 'date', 'type', 'stage', 'purpose', 'summary', 'needs', 'objections', 'created_by', 'created_at', 'content_key'] as const satisfies ReadonlyArray<keyof ActivitiesTable>;
const RATING_COLUMNS = ['contact_id', 'rated_by', 'date', 'acceptance', 'participation', 'project_support', 'information', 'guidance', 'competition', 'note', 'created_at', 'content_key'] as const satisfies ReadonlyArray<keyof RatingsTable>;

export interface ActivityBatchRow {
  activity: Insertable<ActivitiesTable>;
  /** Without repeats, as are the attendees. */
  contactIds: number[];
  attendeeIds: number[];
}

/** Activities with their contacts and attendees, three statements a batch. */
export async function insertActivityRows(db: DbOrTrx, rows: ActivityBatchRow[]): Promise<void> {
  if (rows.length === 0) return;
  const ids = await insertMany(db, 'activities', ACTIVITY_COLUMNS, rows.map((r) => r.activity), true);
  const contacts: number[] = [];
  const attendees: number[] = [];
  rows.forEach((r, i) => {
    for (const contact of r.contactIds) contacts.push(ids[i]!, contact);
    for (const person of r.attendeeIds) attendees.push(ids[i]!, person);
  });
  await insertValues(db, 'activity_contacts', ['activity_id', 'contact_id'], contacts, false);
  await insertValues(db, 'activity_attendees', ['activity_id', 'person_id'], attendees, false);
}

export async function insertRatingRows(db: DbOrTrx, rows: Insertable<RatingsTable>[]): Promise<void> {
  await insertMany(db, 'ratings', RATING_COLUMNS, rows, false);
}
