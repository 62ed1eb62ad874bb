import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { isPostgresUrl, sqlitePath } from './create-db.ts';

/** What a backup made: SQLite pages copied, or the size of a PostgreSQL dump. */
export type BackupResult = { engine: 'sqlite'; pages: number } | { engine: 'postgres'; bytes: number };

/** Pages a backup step copies (SQLite's API default): a few milliseconds of work each. */
const BACKUP_STEP_PAGES = 100;

/**
 * An online, consistent copy of the database, safe while the bot writes, refusing to
 * overwrite an existing file: SQLite's backup API, or for PostgreSQL `pg_dump
 * --format=custom` (one snapshot; restore with `pg_restore`) when it is installed.
 */
export async function backupDatabase(databaseUrl: string, destination: string): Promise<BackupResult> {
  if (existsSync(destination)) throw new Error(`backup: ${destination} already exists; choose a new file name`);
  if (isPostgresUrl(databaseUrl)) return { engine: 'postgres', bytes: await pgDump(databaseUrl, destination) };
  const source = new SQLite(sqlitePath(databaseUrl), { fileMustExist: true });
  try {
    // Copied in steps, so the bot goes on answering meanwhile. SQLite starts a copy over when
    // another connection writes between two steps, and a busy bot would keep it starting over:
    // once it has, the rest goes in one step (one read, which in WAL mode holds up no writer).
    let remaining = Number.POSITIVE_INFINITY;
    const result = await source.backup(destination, {
      progress({ totalPages, remainingPages }) {
        const restarted = remainingPages > remaining;
        remaining = remainingPages;
        return restarted ? totalPages : BACKUP_STEP_PAGES;
      },
    });
    return { engine: 'sqlite', pages: result.totalPages };
  } finally {
    source.close();
  }
}

/**
 * The URL without its password, and the password. `ps` shows every user a process's
 * arguments, so the password goes to pg_dump in a password file only this user can read.
 */
export function splitPassword(url: string): { url: string; password: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // libpq takes URLs WHATWG's parser refuses (`postgresql://u:p@/db?host=/run/postgresql`).
    const userinfo = /^([a-z]+:\/\/[^:/@]*):([^@/]*)@/i.exec(url);
    return userinfo ? { url: url.replace(userinfo[0], `${userinfo[1]}@`), password: decodeURIComponent(userinfo[2]!) } : { url, password: undefined };
  }
  const inQuery = parsed.searchParams.get('password');
  const password = parsed.password ? decodeURIComponent(parsed.password) : inQuery ?? undefined;
  parsed.password = '';
  parsed.searchParams.delete('password');
  return { url: parsed.toString(), password };
}

async function pgDump(databaseUrl: string, destination: string): Promise<number> {
  const { url, password } = splitPassword(databaseUrl);
  // A password file (mode 0600 in a 0700 folder), not PGPASSWORD: some systems let
  // other users read a process's environment, none its own private files.
  const dir = password === undefined ? undefined : mkdtempSync(join(tmpdir(), 'mcr-pgpass-'));
  let target = url;
  if (dir) {
    // libpq's `passfile` connection parameter: the file's path is on the command line, not the password.
    const passfile = join(dir, 'pgpass');
    writeFileSync(passfile, `*:*:*:*:${password!.replace(/[\\:]/g, '\\$&')}\n`, { mode: 0o600 });
    target = `${url}${url.includes('?') ? '&' : '?'}passfile=${encodeURIComponent(passfile)}`;
  }
  try {
    return await run(target, destination);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

function run(url: string, destination: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('pg_dump', ['--format=custom', '--no-owner', '--file', destination, '--dbname', url], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? 'backup: pg_dump is not installed here. Install the PostgreSQL client tools (the same major version as the server) and run mcr backup again, or use your provider\'s snapshots, or run pg_dump --format=custom "$DATABASE_URL" yourself.'
            : `backup: pg_dump failed: ${error.message}`,
        ),
      ),
    );
    child.on('close', (code) => (code === 0 ? resolve(statSync(destination).size) : reject(new Error(`backup: pg_dump failed: ${stderr.trim().split('\n')[0] ?? `exit ${code}`}`))));
  });
}
