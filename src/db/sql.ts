import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * Where SQLite and PostgreSQL differ, in one place. Everything else (upserts with
 * ON CONFLICT, RETURNING, dates as ISO text, booleans as 0/1, name matching on the
 * stored `name_key`) is written once for both.
 */
export type Engine = 'sqlite' | 'postgres';

export function engineOf(db: Pick<Kysely<any>, 'getExecutor'>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * A group's rows as one JSON array, one element per row: the column's value, or with
 * several columns an array of their values (SQLite `json_group_array`, PostgreSQL
 * `json_agg`), in no set order. Read it with {@link fromJsonArray}. A query that would
 * return millions of small rows (a digest's activity facts) returns one row a group
 * instead: the driver builds one value instead of a row object per row, 2–3× faster.
 */
export function jsonArrayOf(engine: Engine, columns: readonly string[]): RawBuilder<unknown> {
  const refs = sql.join(columns.map((c) => sql.ref(c)));
  if (engine === 'postgres') return columns.length === 1 ? sql`json_agg(${refs})` : sql`json_agg(json_build_array(${refs}))`;
  return columns.length === 1 ? sql`json_group_array(${refs})` : sql`json_group_array(json_array(${refs}))`;
}

/** What {@link jsonArrayOf} gave: text from SQLite, already parsed by `pg` from PostgreSQL. */
export function fromJsonArray<T>(value: unknown): T[] {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T[];
}

/** The n-th (1-based) bound parameter of a hand-written statement: `?` or `$n`. */
export function placeholder(engine: Engine, n: number): string {
  return engine === 'postgres' ? `$${n}` : '?';
}

/**
 * `column LIKE pattern`, ignoring case on both engines (SQLite's LIKE already does
 * for ASCII; PostgreSQL's does not). Wildcards in `text` are dropped.
 */
export function caselessLike(column: string, text: string, where: 'contains' | 'starts'): RawBuilder<boolean> {
  const clean = text.replace(/[\\%_]/g, '').toLowerCase();
  return sql<boolean>`lower(${sql.ref(column)}) like ${where === 'contains' ? `%${clean}%` : `${clean}%`}`;
}

/**
 * After rows were written with their own ids (`mcr copy`), new rows must get larger
 * ones: PostgreSQL's serial sequence is moved past the largest id; SQLite's
 * autoincrement already follows the table.
 */
export async function moveIdSequence(db: Kysely<any>, table: string): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 1), (select count(*) > 0 from ${sql.table(table)}))`.execute(db);
}

/**
 * After personal data was erased (`forget`), leaves no old copy of it in the database
 * files that SQLite controls: the connection overwrites freed space with zeros
 * (`secure_delete`, set in createDb), and here the write-ahead log, which still holds the
 * pages as they were, is copied into the database and truncated to nothing. Returns
 * false when another connection kept the log in use (it is truncated at a later
 * checkpoint). PostgreSQL keeps dead row versions until VACUUM reuses them, and its WAL
 * and archives like backups: nothing a client can do about them here (README, Security).
 */
export async function flushErased(db: Kysely<any>): Promise<boolean> {
  if (engineOf(db) !== 'sqlite') return true;
  for (let attempt = 0; ; attempt++) {
    const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    if (rows[0]?.busy === 0) return true;
    if (attempt === 4) return false;
    await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
  }
}

/**
 * PostgreSQL SQLSTATEs and socket errors that mean "the server is not there right now",
 * and those that mean "it cannot take writes right now" (a read-only standby, a full
 * disk, SQLite's read-only or vanished file).
 */
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '25006', '53100', '53300', 'SQLITE_BUSY', 'SQLITE_CANTOPEN', 'SQLITE_FULL']);
const UNAVAILABLE_PREFIXES = ['SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY'];

/**
 * Is this error the database being unreachable, locked or unable to write (as opposed
 * to a bug or bad data)? Users then hear "temporarily unavailable, nothing was saved".
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE.has(code) || UNAVAILABLE_PREFIXES.some((prefix) => code.startsWith(prefix)))) return true;
    if (/Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(e.message)) return true;
  }
  return false;
}

/**
 * The columns of the unique key a write broke, on either engine; undefined for any
 * other error. SQLite says `UNIQUE constraint failed: accounts.name_key`
 * (SQLITE_CONSTRAINT_UNIQUE); PostgreSQL raises SQLSTATE 23505 with the detail
 * `Key (name_key)=(acme) already exists.` — also when it waited for a concurrent
 * transaction that wrote the same key and committed.
 */
export function uniqueViolation(error: unknown): { columns: string[] } | undefined {
  for (let e: unknown = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    const { code, detail } = e as { code?: unknown; detail?: unknown };
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      const columns = /constraint failed: (.+)$/.exec(e.message)?.[1] ?? '';
      return { columns: columns.split(',').map((c) => c.trim().split('.').pop()!) };
    }
    if (code === '23505') return { columns: (/^Key \(([^)]*)\)=/.exec(typeof detail === 'string' ? detail : '')?.[1] ?? '').split(',').map((c) => c.trim()) };
  }
  return undefined;
}

/**
 * Runs a write; a unique key on `column` refusing it becomes `conflict()` (a domain
 * error, "already exists"), not an unexpected failure with a reference id.
 */
export async function refusingDuplicates<T>(column: string, conflict: () => Error, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (uniqueViolation(error)?.columns.includes(column)) throw conflict();
    throw error;
  }
}

/** A LIKE pattern for "starts with"; name keys hold no LIKE wildcards, and any in other text are dropped. */
export function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, '')}%`;
}

/** Booleans are stored as 0/1 on every engine (see the first migration). */
export const toFlag = (value: boolean): number => (value ? 1 : 0);
export const fromFlag = (value: number | boolean | null): boolean => value === 1 || value === true;
