import { TEST_ENGINE } from '../helpers/engine.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../src/db/backup.ts';
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
