import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { createDb, migrateToLatest } from '../../src/db/create-db.ts';
import { postgresDatabase } from '../helpers/engine.ts';

/**
 * compose.yaml starts two bot instances at once on an empty database, and an upgrade may
 * start a new one while another starts too: both run migrateToLatest. Kysely's migrator
 * holds a PostgreSQL advisory lock around the whole run, so one applies the migrations and
 * the other, once the lock is free, finds nothing left to do (README, Deploy).
 */
describe('two instances migrating one PostgreSQL database at once', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('apply every migration exactly once, and both start', async () => {
    const database = await postgresDatabase();
    cleanup = database.cleanup;
    const [a, b] = [createDb(database.url), createDb(database.url)];
    try {
      const [appliedByA, appliedByB] = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
      expect([...appliedByA, ...appliedByB].sort()).toEqual(Object.keys(migrations).sort());
      expect(await a.selectFrom('kysely_migration' as never).select(({ fn }) => fn.countAll().as('n')).executeTakeFirstOrThrow()).toEqual({ n: String(Object.keys(migrations).length) });
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
  });
});
