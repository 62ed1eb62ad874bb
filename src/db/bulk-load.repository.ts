import { CompiledQuery, sql, type Insertable, type Transaction } from 'kysely';
import type { Db, DbOrTrx } from './create-db.ts';
import { engineOf } from './sql.ts';
import { cachedStatement, flushPeople, insertMany, insertValues, newPeople, storedValues, typesOf } from './statement-cache.ts';
import type { AccountRow, AccountsTable, ActivitiesTable, ContactRow, ContactsTable, Database, RatingsTable } from './schema.ts';

/**
 * Batched writes for CSV import: a few statements per hundreds of rows (through the
 * statement cache), so a large file goes in fast. Callers pass one open transaction.
 */

/** A new person known by one reference (an email or a platform id); their id. */
export async function insertPersonRow(db: DbOrTrx, name: string, ref: { email: string } | { slack_id: string } | { teams_id: string }, now: Date): Promise<number> {
  const [column, value] = Object.entries(ref)[0]!;
  if (engineOf(db) === 'sqlite') {
    const [id] = await insertValues(db, 'people', ['name', column, 'created_at'], [name, value, now.toISOString()], true);
    return id!;
  }
  let pending = newPeople.get(db);
  if (!pending) newPeople.set(db, (pending = { spare: [], values: [] }));
  if (pending.spare.length === 0) {
    const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('people', 'id'))::integer as id from generate_series(1, 100)`.execute(db);
    pending.spare = rows.map((r) => r.id).sort((a, b) => b - a);
  }
  const id = pending.spare.pop()!;
  pending.values.push(id, name, column === 'email' ? value : null, column === 'slack_id' ? value : null, column === 'teams_id' ? value : null, now.toISOString());
  return id;
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
  await flushPeople(db);
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
  await flushPeople(db);
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
 * Runs `load`, a bulk load inside an open transaction. Into an empty table, the table's
 * secondary non-unique indexes are dropped first and built again once the rows are in
 * (a refused load rolls their dropping back with the rest). Building an index over a
 * million rows sorts once; keeping it while inserting puts every key at a random place
 * in a tree larger than the cache (SQLite: activities load 1.5× faster; PostgreSQL: a
 * quarter of the server's work for a million activities). Unique indexes stay: they
 * are the duplicate check. On PostgreSQL the tables are analysed at the end (see
 * below), and dropping an index locks the table until the
 * import commits, so commands reading it wait for the first load of an empty table
 * (README, Import); a table that holds rows keeps its indexes and its readers.
 */
export async function withBulkLoad<T>(db: DbOrTrx, tables: LoadedTables, load: () => Promise<T>): Promise<T> {
  const [table] = tables;
  if (!table || !(await tableIsEmpty(db, table))) return load();
  const { rows: indexes } = engineOf(db) === 'sqlite'
    ? await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master
      where type = 'index' and sql is not null and sql not like 'create unique%' and tbl_name in (${sql.join(tables)})`.execute(db)
    : await sql<{ name: string; sql: string }>`
      select indexname as name, indexdef as sql from pg_indexes
      where schemaname = current_schema() and indexdef not like 'CREATE UNIQUE%' and tablename in (${sql.join(tables)})`.execute(db);
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(db);
  const result = await load();
  if (engineOf(db) === 'postgres') {
    // Sorted in memory rather than on disk (64 MB by default), for this transaction only.
    await sql`set local maintenance_work_mem = '256MB'`.execute(db);
    for (const index of indexes) await sql.raw(index.sql).execute(db);
    // Statistics for the rows just loaded, committed with them: until autovacuum gets to the
    // tables (a minute or more later), the planner would take them for empty and read a
    // million activities in full for a digest's 200 accounts (0.5 s a query instead of 1 ms).
    await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
    return result;
  }
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
  if (engineOf(db) === 'postgres') return insertActivityRowsPg(db, rows);
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

/**
 * {@link insertActivityRows} on PostgreSQL: the batch's activities and both link tables
 * in ONE statement (one array per column, `unnest … with ordinality`; each activity's
 * new id taken from its sequence in a CTE and joined to its links by the row's number).
 * Three statements a batch meant three round trips, and the second and third were sent
 * only when this thread, busy checking the next batch, got back to the reply of the
 * first: the server waited on the import's thread, and the import's thread on the
 * server. One statement lets the server write a whole batch while the next is read.
 * The links' foreign keys are checked at the statement's end, so they find the
 * activities inserted by the same statement.
 */
async function insertActivityRowsPg(db: DbOrTrx, rows: ActivityBatchRow[]): Promise<void> {
  await flushPeople(db);
  const types = await typesOf(db, 'activities');
  const count = rows.length;
  const arrays: unknown[][] = ACTIVITY_COLUMNS.map(() => new Array<unknown>(count));
  const contactRow: number[] = [];
  const contactId: number[] = [];
  const attendeeRow: number[] = [];
  const attendeeId: number[] = [];
  for (let i = 0; i < count; i++) {
    const { activity, contactIds, attendeeIds } = rows[i]!;
    const row = activity as Record<string, unknown>;
    for (let c = 0; c < ACTIVITY_COLUMNS.length; c++) arrays[c]![i] = row[ACTIVITY_COLUMNS[c]!] ?? null;
    for (const id of contactIds) contactRow.push(i + 1), contactId.push(id);
    for (const id of attendeeIds) attendeeRow.push(i + 1), attendeeId.push(id);
  }
  const text = cachedStatement('postgres|activities+links', () => {
    const columns = ACTIVITY_COLUMNS.map((c) => `"${c}"`).join(', ');
    const unnest = ACTIVITY_COLUMNS.map((c, n) => `$${n + 1}::${types.get(c)}[]`).join(', ');
    const k = ACTIVITY_COLUMNS.length;
    return `with new_rows as (
        select nextval(pg_get_serial_sequence('activities', 'id'))::integer as id, u.*
        from unnest(${unnest}) with ordinality as u(${columns}, n)),
      activities_in as (insert into "activities" ("id", ${columns}) select "id", ${columns} from new_rows),
      contacts_in as (
        insert into "activity_contacts" ("activity_id", "contact_id")
        select r."id", l."id" from unnest($${k + 1}::integer[], $${k + 2}::integer[]) as l(n, "id") join new_rows r on r.n = l.n)
      insert into "activity_attendees" ("activity_id", "person_id")
      select r."id", l."id" from unnest($${k + 3}::integer[], $${k + 4}::integer[]) as l(n, "id") join new_rows r on r.n = l.n`;
  });
  await db.executeQuery(CompiledQuery.raw(text, [...arrays, contactRow, contactId, attendeeRow, attendeeId]));
}

export async function insertRatingRows(db: DbOrTrx, rows: Insertable<RatingsTable>[]): Promise<void> {
  await insertMany(db, 'ratings', RATING_COLUMNS, rows, false);
}
