import type { DbOrTrx } from './create-db.ts';

export interface BackupRecord {
  file: string;
  engine: 'sqlite' | 'postgres';
  madeAt: string;
}

function toBackup(row: { file: string; engine: BackupRecord['engine']; made_at: string }): BackupRecord {
  return { file: row.file, engine: row.engine, madeAt: row.made_at };
}

/** Notes a backup `mcr backup` made, so that `forget` can name the copies that still hold a person. */
export async function recordBackup(db: DbOrTrx, backup: BackupRecord & { madeBy: number | null }): Promise<void> {
  await db.insertInto('backups').values({ file: backup.file, engine: backup.engine, made_at: backup.madeAt, made_by: backup.madeBy }).execute();
}

/** Backups made at or after `since` (an ISO date or timestamp), oldest first. */
export async function listBackupsSince(db: DbOrTrx, since: string): Promise<BackupRecord[]> {
  const rows = await db.selectFrom('backups').select(['file', 'engine', 'made_at']).where('made_at', '>=', since).orderBy('made_at').orderBy('id').execute();
  return rows.map(toBackup);
}
