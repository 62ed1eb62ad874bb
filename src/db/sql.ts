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

/** A LIKE pattern for "starts with"; name keys hold no LIKE wildcards, and any in other text are dropped. */
export function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, '')}%`;
}

/** Booleans are stored as 0/1 on every engine (see the first migration). */
export const toFlag = (value: boolean): number => (value ? 1 : 0);
export const fromFlag = (value: number | boolean | null): boolean => value === 1 || value === true;
