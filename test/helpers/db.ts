import { createDb, migrateToLatest, type Db } from '../../src/db/create-db.ts';
import { testDatabase } from './engine.ts';

/** A real database on this run's engine (a SQLite file, or a fresh PostgreSQL database), migrated; `cleanup` closes and removes it. */
export async function tempDb(): Promise<{ db: Db; url: string; dir: string; cleanup: () => Promise<void> }> {
  const { url, dir, cleanup } = await testDatabase();
  const db = createDb(url);
  await migrateToLatest(db);
  return {
    db,
    url,
    dir,
    cleanup: async () => {
      await db.destroy();
      await cleanup();
    },
  };
}
