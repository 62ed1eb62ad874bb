import { CompiledQuery, sql } from 'kysely';
import type { DbOrTrx } from './create-db.ts';
import { engineOf, placeholder } from './sql.ts';
import type { Database } from './schema.ts';

/**
 * Multi-row INSERTs written once per table, columns and chunk size, and reused: how a
 * bulk load sends a few statements per hundreds of rows.
 */

/** SQLite allows 32,766 bound values a statement; PostgreSQL 65,535. Stay well under. */
export const BATCH_ROWS = 500;

const statements = new Map<string, string>();

/** A statement's text by its key, written by `write` the first time it is asked for. */
export function cachedStatement(key: string, write: () => string): string {
  let text = statements.get(key);
  if (!text) statements.set(key, (text = write()));
  return text;
}

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
export async function insertMany<T extends keyof Database & string>(db: DbOrTrx, table: T, columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>, returningId: boolean): Promise<number[]> {
  return insertValues(db, table, columns, storedValues(rows, columns), returningId);
}

/** {@link insertMany} for rows given as one flat list of values, a row every `columns.length`: link rows need no object each. */
export async function insertValues<T extends keyof Database & string>(db: DbOrTrx, table: T, columns: readonly string[], values: unknown[], returningId: boolean): Promise<number[]> {
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

export function typesOf(db: DbOrTrx, table: string): Promise<Map<string, string>> {
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
export async function insertArrays(db: DbOrTrx, table: string, columns: readonly string[], values: unknown[], returningId: boolean): Promise<number[]> {
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

/**
 * People an import names for the first time, on PostgreSQL: each gets its id at once from
 * ids taken from the sequence a hundred at a time, and the rows are written together
 * before the next statement of the import that may refer to them ({@link flushPeople}).
 * A round trip per new person (500 in a file of 10,000 accounts), each queued behind the
 * batch the server was writing, was most of an accounts import. Kept per transaction; a
 * refused file rolls back whatever was written, and a person named only by refused rows
 * is never written.
 */
export const newPeople = new WeakMap<object, { spare: number[]; values: unknown[] }>();
export const PEOPLE_COLUMNS = ['id', 'name', 'email', 'slack_id', 'teams_id', 'created_at'] as const;

export async function flushPeople(db: DbOrTrx): Promise<void> {
  const pending = newPeople.get(db);
  if (!pending || pending.values.length === 0) return;
  const values = pending.values;
  pending.values = [];
  await insertArrays(db, 'people', PEOPLE_COLUMNS, values, false);
}

/** Every column of `columns` from each row, absent ones null: the values to store, in a row for {@link insertValues}. */
export function storedValues(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): unknown[] {
  const values: unknown[] = [];
  for (const row of rows) for (const c of columns) values.push(row[c] ?? null);
  return values;
}
