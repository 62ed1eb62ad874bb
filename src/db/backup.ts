import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { sqlitePath } from './create-db.ts';

/**
 * An online, consistent copy of a SQLite database (SQLite's backup API), safe while
 * the bot writes. Refuses to overwrite an existing file.
 */
export async function backupSqlite(databaseUrl: string, destination: string): Promise<{ pages: number }> {
  if (!databaseUrl.startsWith('file:')) throw new Error('backup: only SQLite (file:) databases can be copied this way');
  if (existsSync(destination)) throw new Error(`backup: ${destination} already exists; choose a new file name`);
  const source = new SQLite(sqlitePath(databaseUrl), { fileMustExist: true });
  try {
    const result = await source.backup(destination);
    return { pages: result.totalPages };
  } finally {
    source.close();
  }
}
