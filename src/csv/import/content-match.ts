import { existingContentKeys, tableIsEmpty } from '../../db/bulk-load.repository.ts';
import type { DbOrTrx } from '../../db/create-db.ts';
import type { ImportCounts } from './importer.ts';

/**
 * The write of an importer whose records have no name, activities and ratings: a row is
 * recognised by what it says (its content key, src/db/content-key.ts), so a row already
 * stored is unchanged and the others are inserted (interfaces.md: re-importing the same
 * file changes nothing). Into a table empty when the import began nothing can be there
 * already, and no key is looked up (repeats within the file are caught apart).
 */
export async function contentKeyedWrite<R extends { key: string }>(
  trx: DbOrTrx,
  table: 'activities' | 'ratings',
  counts: ImportCounts,
  insert: (fresh: R[]) => Promise<void>,
): Promise<(batch: unknown[]) => Promise<void>> {
  const wasEmpty = await tableIsEmpty(trx, table);
  return async (batch) => {
    const rows = batch as R[];
    const stored = wasEmpty ? new Set<string>() : await existingContentKeys(trx, table, rows.map((r) => r.key));
    const fresh = rows.filter((r) => !stored.has(r.key));
    await insert(fresh);
    counts.created += fresh.length;
    counts.unchanged += rows.length - fresh.length;
  };
}
