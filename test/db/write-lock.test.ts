import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqlitePath } from '../../src/db/create-db.ts';
import { tempDb } from '../helpers/db.ts';
import { TEST_ENGINE } from '../helpers/engine.ts';

const account = (name: string) => ({ name, name_key: name.toLowerCase(), tier: 'general' as const, tier_set_on: '2026-11-24', created_on: '2026-11-24', updated_at: 'now' });

/**
 * Two connections to one SQLite file (the bot's and its scheduler thread's, or the CLI's):
 * a transaction that reads and then writes must not fail because the other committed in
 * between (create-db.ts begins every transaction that may write IMMEDIATE).
 */
describe.skipIf(TEST_ENGINE === 'postgres')('SQLite transactions beside another connection', () => {
  let done: (() => Promise<void>) | undefined;
  afterEach(async () => done?.());

  async function twoConnections() {
    const t = await tempDb();
    // The other connection gives up on a lock after 100 ms (the bot's wait 5 s).
    const other = new SQLite(sqlitePath(t.url), { timeout: 100 });
    done = async () => {
      other.close();
      await t.cleanup();
    };
    return { db: t.db, otherInsert: (name: string) => other.prepare("insert into accounts (name, name_key, tier, tier_set_on, created_on, updated_at) values (?, ?, 'general', '2026-11-24', '2026-11-24', 'now')").run(name, name.toLowerCase()) };
  }

  it('one that may write holds the write lock from its start: its read-then-write commits, the other waits its turn', async () => {
    const { db, otherInsert } = await twoConnections();
    let otherRefused: unknown;
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('accounts').select('id').execute();
      try {
        otherInsert('Other');
      } catch (error) {
        otherRefused = error;
      }
      await trx.insertInto('accounts').values(account('Ours')).execute();
    });
    expect(otherRefused).toMatchObject({ code: 'SQLITE_BUSY' });
    otherInsert('Other');
    expect((await db.selectFrom('accounts').select('name').orderBy('id').execute()).map((r) => r.name)).toEqual(['Ours', 'Other']);
  });

  it('one marked read only takes no lock: the other connection writes meanwhile', async () => {
    const { db, otherInsert } = await twoConnections();
    const seen = await db.transaction().setAccessMode('read only').execute(async (trx) => {
      const before = await trx.selectFrom('accounts').select('id').execute();
      otherInsert('Other');
      return before.length;
    });
    expect(seen).toBe(0);
    expect(await db.selectFrom('accounts').select('name').execute()).toEqual([{ name: 'Other' }]);
  });
});
