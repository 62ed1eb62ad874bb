import { isPostgresUrl, sqlitePath } from './create-db.ts';
import { isDatabaseUnavailable } from './sql.ts';

/** A migration that failed, by name (Kysely reports which one; its transaction is rolled back). */
export class MigrationError extends Error {
  constructor(readonly migration: string, readonly reason: unknown) {
    super(`migration ${migration} failed: ${reason instanceof Error ? reason.message : String(reason)}`, { cause: reason });
    this.name = 'MigrationError';
  }
}

/**
 * An error from opening or migrating the database at start-up, as the one line an
 * operator needs: the setting, what is wrong, what to do. Never the URL itself (it may
 * hold a password). Undefined when the error is not about the database.
 *
 * @example describeDatabaseError(eaccesFromMkdir, 'file:/root/x/mcr.sqlite')
 * // 'DATABASE_URL: cannot create the folder /root/x (EACCES: permission denied); point DATABASE_URL at a writable place, e.g. file:./data/mcr.sqlite'
 */
export function describeDatabaseError(error: unknown, url: string): string | undefined {
  const e = error as { code?: unknown; syscall?: unknown; path?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  const fix = 'point DATABASE_URL at a writable place, e.g. file:./data/mcr.sqlite';
  if (error instanceof MigrationError) {
    return `DATABASE_URL: ${message}; nothing of that migration was applied. Check that this database belongs to this version of MCR Bot (mcr migrate says which migrations it has), or restore a backup`;
  }
  if (isPostgresUrl(url)) {
    if (code === 'ERR_INVALID_URL') return 'DATABASE_URL: not a valid PostgreSQL URL; write it as postgres://USER:PASSWORD@HOST:5432/DATABASE (percent-encode special characters in the password)';
    if (code === '25006') return 'DATABASE_URL: the PostgreSQL server only allows reading (a standby?); point DATABASE_URL at the primary';
    if (isDatabaseUnavailable(error)) return `DATABASE_URL: the PostgreSQL server cannot be reached (${message}); start it, or correct the host and port in DATABASE_URL`;
    if (code === '28P01' || code === '28000') return `DATABASE_URL: the PostgreSQL server refused the login (${message}); correct the user and password in DATABASE_URL`;
    if (code === '3D000') return `DATABASE_URL: ${message}; create it (createdb) or correct the database name in DATABASE_URL`;
    if (code === '42501') return `DATABASE_URL: ${message}; the user needs the right to create tables in that database`;
    if (/^[0-9A-Z]{5}$/.test(code)) return `DATABASE_URL: the PostgreSQL server answered: ${message} (${code})`;
    return undefined;
  }
  if (!url.startsWith('file:')) return undefined;
  const path = sqlitePath(url);
  if (e.syscall === 'mkdir' || ['EACCES', 'EROFS', 'ENOTDIR', 'EEXIST', 'EPERM', 'ENOSPC'].includes(code)) {
    return `DATABASE_URL: cannot create the folder of ${path} (${code || message}); ${fix}`;
  }
  if (code === 'SQLITE_CANTOPEN') return `DATABASE_URL: cannot open ${path} (${message}); ${fix}`;
  if (code.startsWith('SQLITE_READONLY')) return `DATABASE_URL: ${path} cannot be written by this process (${message}); make the file and its folder writable, or ${fix}`;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return `DATABASE_URL: ${path} is not a usable SQLite database (${message}); point DATABASE_URL at the right file, or restore a backup`;
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) return `DATABASE_URL: cannot write ${path} (${message}); free disk space or ${fix}`;
  if (code.startsWith('SQLITE_')) return `DATABASE_URL: SQLite refused ${path}: ${message} (${code})`;
  return undefined;
}
