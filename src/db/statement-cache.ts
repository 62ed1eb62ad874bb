import { CompiledQuery } from 'kysely';
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

/** Every column of `columns` from each row, absent ones null: the values to store, in a row for {@link insertValues}. */
export function storedValues(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): unknown[] {
  const values: unknown[] = [];
  for (const row of rows) for (const c of columns) values.push(row[c] ?? null);
  return values;
}
