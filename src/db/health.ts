import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { isPostgresUrl, sqlitePath, type Db } from './create-db.ts';
import { isDatabaseUnavailable } from './sql.ts';

/**
 * Can the bot write what users send? `ok`, or what is wrong: `read_only` (the
 * connection or the file refuses writes), `missing` (the SQLite file was deleted or its
 * folder replaced: the open handle would go on writing into a file nobody can see),
 * `replaced` (another file now has its path), `unreachable` (the server is not there),
 * `error` (anything else; the log says what).
 */
export type DatabaseState = 'ok' | 'read_only' | 'missing' | 'replaced' | 'unreachable' | 'error';

/** Migrations compared with the code: `current`, some `pending`, some applied that this code does not know (`unknown`), or `unreadable`. */
export type MigrationState = 'current' | 'pending' | 'unknown' | 'unreadable';

export interface DatabaseHealth {
  database: DatabaseState;
  migrations: MigrationState;
  /** Why, when not ok (an error's message; no stack). */
  detail?: string;
}

export interface DatabaseCheck {
  /** Is the database readable and writable, and are its migrations those of this code? Never throws. */
  check(): Promise<DatabaseHealth>;
}

class Rollback extends Error {}

/**
 * The database checks of `/healthz` and `/readyz`, made once just after the database
 * is opened: for SQLite it remembers which file (device and inode) was opened, so a
 * file deleted or replaced under the running bot is noticed.
 */
export function databaseCheck(db: Db, url: string): DatabaseCheck {
  const path = isPostgresUrl(url) ? undefined : sqlitePath(url);
  const file = path && path !== ':memory:' ? identity(path) : undefined;
  return {
    async check() {
      if (path && file) {
        const now = identity(path);
        if (!now) return { database: 'missing', migrations: 'unreadable', detail: `${path} no longer exists` };
        if (now !== file) return { database: 'replaced', migrations: 'unreadable', detail: `${path} is another file than the one opened` };
      }
      let applied: string[];
      try {
        applied = (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name);
      } catch (error) {
        return { database: stateOf(error), migrations: 'unreadable', detail: messageOf(error) };
      }
      const known = Object.keys(migrations);
      const state: MigrationState = applied.some((name) => !known.includes(name)) ? 'unknown' : known.some((name) => !applied.includes(name)) ? 'pending' : 'current';
      try {
        await writeProbe(db);
      } catch (error) {
        return { database: stateOf(error), migrations: state, detail: messageOf(error) };
      }
      return { database: 'ok', migrations: state };
    },
  };
}

/**
 * A write the database must accept, undone: the migration lock row (Kysely's own
 * table, on both engines) set to what it is, in a transaction that is rolled back.
 * A read-only file, connection or server (a PostgreSQL standby) refuses it.
 */
async function writeProbe(db: Db): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      await sql`update kysely_migration_lock set is_locked = is_locked`.execute(trx);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
}

function stateOf(error: unknown): DatabaseState {
  const code = String((error as { code?: unknown }).code ?? '');
  // SQLITE_READONLY_DBMOVED: the file was unlinked under the open handle.
  if (code === 'SQLITE_READONLY_DBMOVED') return 'missing';
  if (code.startsWith('SQLITE_READONLY') || code === '25006' /* read_only_sql_transaction */) return 'read_only';
  if (isDatabaseUnavailable(error)) return 'unreachable';
  return 'error';
}

/** The device and inode at a path, or undefined when there is no file. */
function identity(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? `${stat.dev}:${stat.ino}` : undefined;
  } catch {
    return undefined;
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
