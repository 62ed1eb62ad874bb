import { sql } from 'kysely';
import type { Db } from '../../src/db/create-db.ts';
import { engineOf } from '../../src/db/sql.ts';

/**
 * Makes every insert into `table` fail inside the database (a trigger), on either
 * engine: an unexpected failure in the middle of a write, after validation passed.
 */
export async function failInsertsInto(db: Db, table: string): Promise<void> {
  if (engineOf(db) === 'postgres') {
    await sql.raw(`create function planted_failure() returns trigger as $$ begin raise exception 'planted failure'; end $$ language plpgsql`).execute(db);
    await sql.raw(`create trigger planted_failure before insert on ${table} for each row execute function planted_failure()`).execute(db);
  } else {
    await sql.raw(`create trigger planted_failure before insert on ${table} begin select raise(abort, 'planted failure'); end`).execute(db);
  }
}

/** The apology a user sees for an unexpected failure, with its reference: a pattern capturing the reference. */
export function apologyPattern(text: string): RegExp {
  const [before, after] = text.split('{ref}') as [string, string];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escape(before)}(\\S+?)${escape(after)}`);
}
