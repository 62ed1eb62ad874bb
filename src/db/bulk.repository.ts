import { CompiledQuery, sql, type Insertable, type Transaction } from 'kysely';
import { groupBy } from '../domain/collections.ts';
import type { Db, DbOrTrx } from './create-db.ts';
import { engineOf, placeholder } from './sql.ts';
import type { AccountRow, AccountsTable, ActivitiesTable, ContactRow, ContactsTable, Database, RatingsTable } from './schema.ts';

/**
 * Batched reads and writes for CSV import and export: a few statements per hundreds
 * of rows, so a large file goes in fast. Callers pass one open transaction.
 */

/** SQLite allows 32,766 bound values a statement; PostgreSQL 65,535. Stay well under. */
export const BATCH_ROWS = 500;

const statements = new Map<string, string>();

/** Rows per INSERT: a batch goes in as the largest of these that fit, so only a few statement shapes exist per table. */
const CHUNKS = [BATCH_ROWS, 100, 20, 1] as const;

/**
 * A multi-row INSERT written once per table, columns and chunk size, then reused: at
 * import volumes, building and compiling a Kysely query of thousands of values for
 * every batch cost more than the database's own work. Rows go in chunks of fixed
 * sizes (a 499-row remainder is 4 × 100, 4 × 20 and 19 × 1), so the statements cached
 * here and prepared by the driver stay a handful rather than one per batch length.
 * Columns come from our own code, never from input. Returns the new ids in row order.
 */
async function insertMany<T extends keyof Database & string>(db: DbOrTrx, table: T, columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>, returningId: boolean): Promise<number[]> {
  return insertValues(db, table, columns, storedValues(rows, columns), returningId);
}

/** {@link insertMany} for rows given as one flat list of values, a row every `columns.length`: link rows need no object each. */
async function insertValues<T extends keyof Database & string>(db: DbOrTrx, table: T, columns: readonly string[], values: unknown[], returningId: boolean): Promise<number[]> {
  const engine = engineOf(db);
  if (engine === 'postgres') {
    await flushPeople(db);
    return insertArrays(db, table, columns, values, returningId);
  }
  const ids: number[] = [];
  const width = columns.length;
  const count = values.length / width;
  for (let start = 0; start < count; ) {
    const size = CHUNKS.find((n) => n <= count - start)!;
    const cacheKey = `${engine}|${table}|${columns.join(',')}|${size}|${returningId}`;
    let text = statements.get(cacheKey);
    if (!text) {
      let n = 0;
      const mark = () => placeholder(engine, ++n);
      const tuples = Array.from({ length: size }, () => `(${columns.map(mark).join(', ')})`).join(', ');
      text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples}${returningId ? ' returning "id"' : ''}`;
      statements.set(cacheKey, text);
    }
    const parameters = size === count ? values : values.slice(start * width, (start + size) * width);
    const result = await db.executeQuery<{ id: number }>(CompiledQuery.raw(text, parameters));
    for (const r of result.rows) ids.push(r.id);
    start += size;
  }
  return ids;
}

/** Each column's PostgreSQL type (`integer`, `text`), per table, read from the catalog once per process. */
const columnTypes = new Map<string, Promise<Map<string, string>>>();

function typesOf(db: DbOrTrx, table: string): Promise<Map<string, string>> {
  let types = columnTypes.get(table);
  if (!types) {
    types = sql<{ name: string; type: string }>`
      select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
      where attrelid = ${table}::regclass and attnum > 0 and not attisdropped`
      .execute(db)
      .then(({ rows }) => new Map(rows.map((r) => [r.name, r.type])));
    types.catch(() => columnTypes.delete(table));
    columnTypes.set(table, types);
  }
  return types;
}

/**
 * {@link insertValues} on PostgreSQL: the whole batch in one statement of one array per
 * column, `insert … select … from unnest($1::integer[], $2::text[], …)`, whose text is
 * the same whatever the batch's length (no chunks, no limit on bound values). Where the
 * new ids are wanted, each row's is taken from the table's sequence in a CTE numbered
 * by `with ordinality` and returned in that order: in row order by construction, not
 * by the order RETURNING happens to give rows in. One round trip either way.
 */
async function insertArrays(db: DbOrTrx, table: string, columns: readonly string[], values: unknown[], returningId: boolean): Promise<number[]> {
  const width = columns.length;
  const count = values.length / width;
  if (count === 0) return [];
  const arrays: unknown[][] = columns.map(() => new Array<unknown>(count));
  for (let row = 0, i = 0; row < count; row++) for (let c = 0; c < width; c++, i++) arrays[c]![row] = values[i] ?? null;
  const cacheKey = `postgres|${table}|${columns.join(',')}|${returningId}`;
  let text = statements.get(cacheKey);
  if (!text) {
    const types = await typesOf(db, table);
    const unnest = columns.map((c, n) => {
      const type = types.get(c);
      if (!type) throw new Error(`insertArrays: ${table}.${c} has no type`);
      return `$${n + 1}::${type}[]`;
    }).join(', ');
    const names = columns.map((c) => `"${c}"`).join(', ');
    text = returningId
      ? `with new_rows as (
          select nextval(pg_get_serial_sequence('${table}', 'id'))::integer as "id", u.* from unnest(${unnest}) with ordinality as u(${names}, n)),
        stored as (insert into "${table}" ("id", ${names}) select "id", ${names} from new_rows)
        select "id" from new_rows order by n`
      : `insert into "${table}" (${names}) select * from unnest(${unnest})`;
    statements.set(cacheKey, text);
  }
  const { rows } = await db.executeQuery<{ id: number }>(CompiledQuery.raw(text, arrays));
  return rows.map((r) => r.id);
}

export async function allAccountRows(db: DbOrTrx): Promise<AccountRow[]> {
  return db.selectFrom('accounts').selectAll().orderBy('id').execute();
}

export async function allContactRows(db: DbOrTrx): Promise<ContactRow[]> {
  return db.selectFrom('contacts').selectAll().orderBy('id').execute();
}

/** What matching a contact by name needs, and no more: activity and rating imports hold every contact's. */
export type ContactName = Pick<ContactRow, 'id' | 'account_id' | 'name' | 'name_key'>;

export async function allContactNames(db: DbOrTrx): Promise<ContactName[]> {
  return db.selectFrom('contacts').select(['id', 'account_id', 'name', 'name_key']).orderBy('id').execute();
}

export async function allPeopleRefs(db: DbOrTrx) {
  return db.selectFrom('people').select(['id', 'name', 'email', 'slack_id', 'teams_id', 'local_user']).orderBy('id').execute();
}

/**
 * People an import names for the first time, on PostgreSQL: each gets its id at once from
 * ids taken from the sequence a hundred at a time, and the rows are written together
 * before the next statement of the import that may refer to them ({@link flushPeople}).
 * A round trip per new person (500 in a file of 10,000 accounts), each queued behind the
 * batch the server was writing, was most of an accounts import. Kept per transaction; a
 * refused file rolls back whatever was written, and a person named only by refused rows
 * is never written.
 */
const newPeople = new WeakMap<object, { spare: number[]; values: unknown[] }>();
const PEOPLE_COLUMNS = ['id', 'name', 'email', 'slack_id', 'teams_id', 'created_at'] as const;

async function flushPeople(db: DbOrTrx): Promise<void> {
  const pending = newPeople.get(db);
  if (!pending || pending.values.length === 0) return;
  const values = pending.values;
  pending.values = [];
  await insertArrays(db, 'people', PEOPLE_COLUMNS, values, false);
}

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

/** Every column of `columns` from each row, absent ones null: the values to store, in a row for {@link insertValues}. */
function storedValues(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): unknown[] {
  const values: unknown[] = [];
  for (const row of rows) for (const c of columns) values.push(row[c] ?? null);
  return values;
}

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
  let text = statements.get('postgres|activities+links');
  if (!text) {
    const columns = ACTIVITY_COLUMNS.map((c) => `"${c}"`).join(', ');
    const unnest = ACTIVITY_COLUMNS.map((c, n) => `$${n + 1}::${types.get(c)}[]`).join(', ');
    const k = ACTIVITY_COLUMNS.length;
    text = `with new_rows as (
        select nextval(pg_get_serial_sequence('activities', 'id'))::integer as id, u.*
        from unnest(${unnest}) with ordinality as u(${columns}, n)),
      activities_in as (insert into "activities" ("id", ${columns}) select "id", ${columns} from new_rows),
      contacts_in as (
        insert into "activity_contacts" ("activity_id", "contact_id")
        select r."id", l."id" from unnest($${k + 1}::integer[], $${k + 2}::integer[]) as l(n, "id") join new_rows r on r.n = l.n)
      insert into "activity_attendees" ("activity_id", "person_id")
      select r."id", l."id" from unnest($${k + 3}::integer[], $${k + 4}::integer[]) as l(n, "id") join new_rows r on r.n = l.n`;
    statements.set('postgres|activities+links', text);
  }
  await db.executeQuery(CompiledQuery.raw(text, [...arrays, contactRow, contactId, attendeeRow, attendeeId]));
}

export async function insertRatingRows(db: DbOrTrx, rows: Insertable<RatingsTable>[]): Promise<void> {
  await insertMany(db, 'ratings', RATING_COLUMNS, rows, false);
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
