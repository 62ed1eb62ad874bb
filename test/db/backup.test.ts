import { TEST_ENGINE } from '../helpers/engine.ts';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDatabase, splitPassword } from '../../src/db/backup.ts';
import { insertAccount } from '../../src/db/account.repository.ts';
import { tempDb } from '../helpers/db.ts';

describe('backup (SQLite online backup API)', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it.skipIf(TEST_ENGINE === 'postgres')('copies a consistent database while writes run, and refuses to overwrite', async () => {
    const t = await tempDb();
    cleanup = t.cleanup;
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await t.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 20; i++) await insertAccount(trx, { name: `Account ${written++}`, tier: 'general', industry: null, region: null, contribution: null, credit: null, potential: null, accountManagerId: null, solutionManagerId: null, deliveryManagerId: null, sponsorId: null }, { by: null, today: '2026-11-24', now: new Date() });
        });
        await new Promise((r) => setImmediate(r));
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    const file = join(t.dir, 'copy.sqlite');
    await backupDatabase(t.url, file);
    writing = false;
    await writer;
    expect(existsSync(file)).toBe(true);
    const copy = new SQLite(file, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const accounts = (copy.prepare('select count(*) as n from accounts').get() as { n: number }).n;
      // Whole transactions only: every account has its first tier history row.
      expect((copy.prepare('select count(*) as n from tier_changes').get() as { n: number }).n).toBe(accounts);
      expect(accounts % 20).toBe(0);
    } finally {
      copy.close();
    }
    await expect(backupDatabase(t.url, file)).rejects.toThrow(/already exists/);
  });
});

describe('backup on PostgreSQL: the password never on pg_dump\'s command line (issue 14)', () => {
  const path = process.env.PATH;
  let dir: string;
  afterEach(() => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes the URL without its password, and the password in a private password file removed afterwards', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcr-fake-pgdump-'));
    // A pg_dump that records what it was given, as `ps` would show it, and what its password file held.
    writeFileSync(join(dir, 'pg_dump'), `#!/bin/sh
printf '%s\\n' "$@" > "${dir}/argv"
env > "${dir}/env"
PASSFILE=$(printf '%s' "$6" | sed 's/.*passfile=//' | sed 's/%2F/\\//g')
echo "$PASSFILE" > "${dir}/passfile-path"
cat "$PASSFILE" > "${dir}/passfile"
stat -c %a "$PASSFILE" > "${dir}/mode"
echo dump > "$4"
`);
    chmodSync(join(dir, 'pg_dump'), 0o755);
    process.env.PATH = `${dir}:${path}`;
    const result = await backupDatabase('postgres://mcr:s3cr%3At%5Cx@db.example:5432/mcr?sslmode=require', join(dir, 'out.dump'));
    expect(result).toEqual({ engine: 'postgres', bytes: 5 });
    const argv = readFileSync(join(dir, 'argv'), 'utf8');
    expect(argv).toContain('postgres://mcr@db.example:5432/mcr?sslmode=require&passfile=');
    expect(argv).not.toMatch(/s3cr/);
    expect(readFileSync(join(dir, 'env'), 'utf8')).not.toMatch(/s3cr/);
    // libpq's format: any host, port, database and user; `:` and `\` escaped.
    expect(readFileSync(join(dir, 'passfile'), 'utf8')).toBe('*:*:*:*:s3cr\\:t\\\\x\n');
    expect(readFileSync(join(dir, 'mode'), 'utf8').trim()).toBe('600');
    expect(existsSync(readFileSync(join(dir, 'passfile-path'), 'utf8').trim())).toBe(false);
  });

  it('takes the password out of the query string and of URLs the WHATWG parser refuses', () => {
    expect(splitPassword('postgres://h/db?user=x&password=y&sslmode=require')).toEqual({ url: 'postgres://h/db?user=x&sslmode=require', password: 'y' });
    expect(splitPassword('postgresql://u:p%40w@/db?host=/run/postgresql')).toEqual({ url: 'postgresql://u@/db?host=/run/postgresql', password: 'p@w' });
    expect(splitPassword('postgres://postgres@127.0.0.1:5432/test')).toEqual({ url: 'postgres://postgres@127.0.0.1:5432/test', password: undefined });
  });
});
