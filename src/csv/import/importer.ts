import type { DbOrTrx } from '../../db/create-db.ts';
import type { Metrics } from '../../core/metrics.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { Row } from './cells.ts';

/** What one import created, updated and found unchanged. */
export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportOptions {
  actorId: number | null;
  today: IsoDate;
  now: Date;
  /** Called now and then with the share of the file read (0–1). */
  onProgress?: (share: number, rows: number) => void;
  /** Counts the rows imported, or the file refused. */
  metrics?: Metrics;
}

/**
 * One table's import, as the driver (import-csv.ts) uses it: each row parsed (checked
 * and resolved), then written a batch at a time.
 */
export interface Importer<P extends { key: string }> {
  /** The column a repeated row is reported on (its key is already earlier in the file). */
  keyColumn: string;
  counts: ImportCounts;
  /** The row checked and resolved: a promise only when it names a new person (see peopleLookup). */
  parse(row: Row): P | Promise<P>;
  write(batch: unknown[]): Promise<void>;
}

/** Makes a table's importer, its lookups read in the import's transaction. */
export type ImporterFactory = (trx: DbOrTrx, options: ImportOptions) => Promise<Importer<{ key: string }>>;

export const noCounts = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0 });

/** Which of `set`'s values differ from the stored row. */
export function changes<R extends object>(stored: R, set: Partial<R>): Partial<R> {
  return Object.fromEntries(Object.entries(set).filter(([k, v]) => (stored as Record<string, unknown>)[k] !== v)) as Partial<R>;
}
