import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrateToLatest, type Db } from '../../src/db/create-db.ts';

/** A real SQLite file in a temporary folder, migrated; `cleanup` closes and deletes it. */
export async function tempDb(): Promise<{ db: Db; url: string; dir: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'mcr-test-'));
  const url = `file:${join(dir, 'mcr.sqlite')}`;
  const db = createDb(url);
  await migrateToLatest(db);
  return {
    db,
    url,
    dir,
    cleanup: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
