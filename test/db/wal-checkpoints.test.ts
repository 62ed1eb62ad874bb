import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKSTOP_PAGES, createDb, sqlitePath, type Db } from '../../src/db/create-db.ts';
import { checkpointWal, startWalCheckpoints } from '../../src/db/wal-checkpoints.ts';
import { memoryLogger } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';
import { TEST_ENGINE } from '../helpers/engine.ts';

/** Rows enough for ~1,500 pages of log (SQLite's own checkpoint comes at 1,000), a commit per hundred. */
async function writeManyPages(db: Db, prefix = 'Account'): Promise<void> {
  for (let batch = 0; batch < 30; batch++) {
    const rows = Array.from({ length: 100 }, (_, i) => {
      const name = `${prefix} ${batch}-${i} ${'x'.repeat(1_000)}`;
      return { name, name_key: name.toLowerCase(), tier: 'general' as const, tier_set_on: '2026-11-30', created_on: '2026-11-30', updated_at: 'now' };
    });
    await db.insertInto('accounts').values(rows).execute();
  }
}

/**
 * The bot's threads that answer people leave SQLite's checkpoints to the scheduler's thread
 * (db/wal-checkpoints.ts): a commit of theirs never copies the log into the database file and
 * syncs it on their time. In WAL mode the database file is written by checkpoints only, so its
 * size says whether one ran.
 */
describe.skipIf(TEST_ENGINE === 'postgres')('SQLite checkpoints left to a background thread', () => {
  let done: (() => Promise<void>) | undefined;
  afterEach(async () => done?.());

  async function database() {
    const t = await tempDb();
    const path = sqlitePath(t.url);
    const answering = createDb(t.url, { checkpoints: 'background' });
    done = async () => {
      await answering.destroy();
      await t.cleanup();
    };
    return { background: t.db, answering, fileBytes: () => statSync(path).size };
  }

  it('by default a commit past 1,000 pages of log copies them into the file itself (what the bot\'s answering threads no longer do)', async () => {
    const { background, fileBytes } = await database();
    const before = fileBytes();
    await writeManyPages(background);
    expect(fileBytes()).toBeGreaterThan(before + 1_000 * 4_096);
  });

  it('a connection that leaves them to the background writes only the log; one checkpoint elsewhere copies all of it into the file', async () => {
    const { background, answering, fileBytes } = await database();
    expect((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(answering)).rows).toEqual([{ wal_autocheckpoint: BACKSTOP_PAGES }]);
    const before = fileBytes();
    await writeManyPages(answering);
    expect(fileBytes()).toBe(before);
    const checkpoint = await checkpointWal(background);
    expect(checkpoint.logPages).toBeGreaterThan(1_000);
    expect(checkpoint.copiedPages).toBe(checkpoint.logPages);
    expect(fileBytes()).toBeGreaterThan(before + 1_000 * 4_096);
    // Nothing new since: the next one has nothing left to copy.
    expect(await checkpointWal(background)).toEqual(checkpoint);
  });

  it('startWalCheckpoints copies what the others commit every interval, until stopped', async () => {
    const { background, answering, fileBytes } = await database();
    const log = memoryLogger();
    const checkpoints = startWalCheckpoints(background, log, 20);
    const before = fileBytes();
    await writeManyPages(answering);
    await expect.poll(fileBytes, { timeout: 5_000 }).toBeGreaterThan(before + 1_000 * 4_096);
    await checkpoints.stop();
    const stopped = fileBytes();
    await writeManyPages(answering, 'Later');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fileBytes()).toBe(stopped);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('a checkpoint that fails is logged once while it keeps failing, not every interval', async () => {
    const { background } = await database();
    const log = memoryLogger();
    await background.destroy();
    const checkpoints = startWalCheckpoints(background, log, 10);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await checkpoints.stop();
    expect(log.lines.filter((l) => l.msg === 'wal checkpoint failed; tried again every second, logged again once it works')).toHaveLength(1);
  });
});
