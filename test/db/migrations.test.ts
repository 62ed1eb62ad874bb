import { TEST_ENGINE } from '../helpers/engine.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest } from '../../src/db/create-db.ts';
import { migrations } from '../../migrations/index.ts';
import { tempDb } from '../helpers/db.ts';

describe('migrations', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('apply from empty, then re-applying is a no-op', async () => {
    const t = await tempDb();
    cleanup = t.cleanup;
    // tempDb already migrated from empty: every migration is recorded.
    const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(t.db);
    expect(recorded.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(t.db)).toEqual([]);
  });

  it('are named by timestamp, in order', () => {
    for (const name of Object.keys(migrations)) expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
  });

  it.skipIf(TEST_ENGINE === 'postgres')('turn on WAL and foreign keys', async () => {
    const t = await tempDb();
    cleanup = t.cleanup;
    expect((await sql<{ journal_mode: string }>`pragma journal_mode`.execute(t.db)).rows[0]!.journal_mode).toBe('wal');
    expect((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(t.db)).rows[0]!.foreign_keys).toBe(1);
  });

  it('seed the default holiday list (§8)', async () => {
    const t = await tempDb();
    cleanup = t.cleanup;
    const holidays = await t.db.selectFrom('holidays').select(['code', 'date']).orderBy('id').execute();
    expect(holidays).toEqual([
      { code: 'new_year', date: '01-01' },
      { code: 'spring_festival', date: 'lunar:01-01' },
      { code: 'dragon_boat', date: 'lunar:05-05' },
      { code: 'mid_autumn', date: 'lunar:08-15' },
      { code: 'national_day', date: '10-01' },
    ]);
  });
});
