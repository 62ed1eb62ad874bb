import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { bulkTransaction, withBulkLoad, type LoadedTables } from '../db/bulk-load.repository.ts';
import { BATCH_ROWS } from '../db/statement-cache.ts';
import type { Db } from '../db/create-db.ts';
import { engineOf } from '../db/sql.ts';
import type { ImportKind } from './columns.ts';
import { restoreCell } from './formula.ts';
import { KeySet } from './key-set.ts';
import { CsvError, csvBatches } from './read-csv.ts';
import { translate, type Message, type MessageArg } from '../core/errors.ts';
import type { Locale } from '../i18n/index.ts';
import { CellError, type Row } from './import/cells.ts';
import { headerProblems } from './import/header.ts';
import type { ImportCounts, ImportOptions, Importer, ImporterFactory } from './import/importer.ts';
import { importAccounts } from './import/accounts.ts';
import { importContacts } from './import/contacts.ts';
import { importActivities } from './import/activities.ts';
import { importRatings } from './import/ratings.ts';

/**
 * The import driver: reads a CSV file (read-csv.ts), checks its header, hands each
 * record to the table's importer (import/*.ts) and writes it in batches, in one
 * transaction. The parts: import/cells.ts reads and checks cells, import/lookups.ts
 * resolves names to ids, import/importer.ts is what an importer is, and one file per
 * table says how its rows are matched and stored.
 */

export type { ImportCounts, ImportOptions } from './import/importer.ts';

export interface ImportResult {
  kind: ImportKind;
  rows: number;
  counts: ImportCounts;
}

/**
 * One thing wrong with a file: its line, the column(s) it is about if any, and why, as
 * a message (import.problem.*) translated once where it is shown.
 */
export interface ImportProblem {
  line: number;
  column?: string;
  columns?: string[];
  reason: Message;
}

/** A file that cannot be imported: its first bad rows, nothing written. */
export class ImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(problems.map((p) => translate('en', importProblemMessage(p))).join('\n'));
    this.name = 'ImportError';
  }

  /** Each problem as a line in this language (`line 3, column tier: …`). */
  lines(locale: Locale): string[] {
    return this.problems.map((p) => translate(locale, importProblemMessage(p)));
  }
}

/** A problem with where it is: "line 3, column tier: …", "line 1, columns a, b: …" or "line 4: …". */
export function importProblemMessage(p: ImportProblem): Message {
  const name = (column: string): MessageArg => column || { code: 'import.blank_column' };
  if (p.columns) return { code: 'import.at_columns', values: { line: p.line, columns: p.columns.flatMap((c, i) => (i === 0 ? [name(c)] : [', ', name(c)])), reason: p.reason } };
  if (p.column !== undefined) return { code: 'import.at_cell', values: { line: p.line, column: name(p.column), reason: p.reason } };
  return { code: 'import.at_line', values: { line: p.line, reason: p.reason } };
}

/** What csv-parse could not read, by its error code: a quote that closes a field with more after it, or anything else. */
function unreadable(error: CsvError): Message {
  if (error.code === 'CSV_INVALID_CLOSING_QUOTE' || error.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') return { code: 'import.problem.after_quote' };
  if (error.code === 'CSV_MAX_RECORD_SIZE') return { code: 'import.problem.record_too_large' };
  return { code: 'import.problem.unreadable', values: { code: error.code ?? '' } };
}

const MAX_PROBLEMS = 20;

/** Each table's importer (import/*.ts). */
const IMPORTERS: Record<ImportKind, ImporterFactory> = {
  accounts: importAccounts,
  contacts: importContacts,
  activities: importActivities,
  ratings: importRatings,
};

/** The tables an import fills, the first being the one whose emptiness lets their indexes wait (`withBulkLoad`). */
const LOADED_TABLES: Record<ImportKind, LoadedTables> = {
  accounts: [], // 10,000 rows at most in practice: its indexes are kept as it inserts
  contacts: ['contacts'],
  activities: ['activities', 'activity_contacts', 'activity_attendees'],
  ratings: ['ratings'],
};

/**
 * Imports one CSV file (interfaces.md columns; UTF-8 with or without BOM; quoted
 * fields may hold commas and newlines) in one transaction: all or nothing. Accounts
 * match by name, contacts by account + name, activities and ratings by what they say,
 * so importing the same file again changes nothing.
 */
export async function importCsv(db: Db, kind: ImportKind, path: string, options: ImportOptions): Promise<ImportResult> {
  try {
    const result = await importFile(db, kind, path, options);
    options.metrics?.imported(kind, result.counts);
    return result;
  } catch (error) {
    if (error instanceof ImportError) options.metrics?.imported(kind, 'rejected');
    throw error;
  }
}

async function importFile(db: Db, kind: ImportKind, path: string, options: ImportOptions): Promise<ImportResult> {
  const size = Math.max(1, statSync(path).size);
  return bulkTransaction(db, async (trx) => {
    const importer = await IMPORTERS[kind](trx, options);
    const write = batchWriter(importer, engineOf(db) === 'postgres');
    return withBulkLoad(trx, LOADED_TABLES[kind], () => write.guard(async () => {
      // Where a problem is: a record's number (its line is looked up once, if the file is
      // refused: asking the parser for every record's line costs a third of the parse) or a line.
      const problems: Array<Omit<ImportProblem, 'line'> & { record: number; line?: number }> = [];
      const seen = new KeySet();
      let header: string[] | undefined;
      let batch: unknown[] = [];
      let rows = 0;
      let record = -1;
      let bytesRead = 0;
      try {
        reading: for await (const read of csvBatches(path, { bom: true, skip_empty_lines: true, relax_column_count: true })) {
          bytesRead = read.bytesRead;
          for (const fields of read.records) {
            record++;
            if (!header) {
              header = fields.map((h) => h.trim().toLowerCase());
              problems.push(...headerProblems(kind, header).map((problem) => ({ record, line: 1, ...problem })));
              if (problems.length > 0) break reading;
              continue;
            }
            rows++;
            if (fields.length !== header.length) {
              problems.push({ record, reason: { code: 'import.problem.fields', values: { expected: header.length, found: fields.length } } });
            } else {
              const row: Row = {};
              // An apostrophe that export put before a formula-like cell comes off again (formula.ts).
              for (let i = 0; i < header.length; i++) row[header[i]!] = restoreCell(fields[i]!.trim());
              try {
                let parsed = importer.parse(row);
                if (parsed instanceof Promise) parsed = await parsed;
                if (!seen.add(parsed.key)) throw new CellError(importer.keyColumn, { code: 'import.problem.duplicate_row' });
                if (problems.length === 0) batch.push(parsed);
              } catch (error) {
                if (!(error instanceof CellError)) throw error;
                problems.push({ record, column: error.column, reason: error.reason });
              }
            }
            if (problems.length >= MAX_PROBLEMS) break reading;
            if (batch.length >= BATCH_ROWS) {
              await write(batch);
              batch = [];
              options.onProgress?.(Math.min(1, bytesRead / size), rows);
            }
          }
        }
      } catch (error) {
        if (!(error instanceof CsvError && error.code?.startsWith('CSV_'))) throw error;
        // A quote never closed runs to the end of the file, where the parser notices: name the
        // line its record starts on instead. Other faults are where the parser says.
        if (error.code === 'CSV_QUOTE_NOT_CLOSED') problems.push({ record: record + 1, reason: { code: 'import.problem.quote_not_closed' } });
        else problems.push({ record: record + 1, ...(error.lines !== undefined && { line: error.lines }), reason: unreadable(error) });
      }
      if (!header && problems.length === 0) problems.push({ record: 0, line: 1, reason: { code: 'import.problem.empty' } });
      // A write still under way fails the import with its own error if it fails.
      await write.settled();
      // Throwing rolls the transaction back: nothing of a bad file is written.
      if (problems.length > 0) {
        const shown = problems.slice(0, MAX_PROBLEMS);
        const lines = await firstLines(path, shown.filter((p) => p.line === undefined).map((p) => p.record));
        throw new ImportError(shown.map(({ record, ...p }) => ({ ...p, line: p.line ?? lines.get(record)! })));
      }
      await write(batch);
      await write.settled();
      options.onProgress?.(1, rows);
      return { kind, rows, counts: importer.counts };
    }));
  });
}

/**
 * `importer.write`, awaited at once on SQLite, whose driver does the work on this
 * thread anyway. On PostgreSQL a batch's INSERTs run in the server's process, so the
 * next batch is read and checked meanwhile: one write in flight at a time (the
 * transaction's one connection runs its statements in the order they were sent,
 * including a new person's INSERT from the next batch's checks). Throughput is then
 * the slower of the two rather than their sum. `settled()` waits for the last write
 * and throws its error.
 */
function batchWriter(importer: Importer<{ key: string }>, overlap: boolean) {
  let writing: Promise<void> | undefined;
  let failure: unknown;
  const settled = async () => {
    const last = writing;
    writing = undefined;
    await last;
  };
  const write = async (batch: unknown[]) => {
    if (!overlap) return importer.write(batch);
    await settled();
    writing = importer.write(batch);
    // Awaited by the next write or settled(); until then a failure is not "unhandled", and
    // it is the error to report (PostgreSQL then refuses the statements queued behind it).
    writing.catch((error: unknown) => (failure ??= error));
  };
  /** Runs the import, reporting a failed write's own error rather than what failed after it. */
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw failure ?? error;
    }
  };
  return Object.assign(write, { settled, guard });
}

/** The line on which each of these records (0 = the header) starts, by reading the file again. */
async function firstLines(path: string, records: number[]): Promise<Map<number, number>> {
  const lines = new Map<number, number>();
  if (records.length === 0) return lines;
  const wanted = new Set(records);
  const last = Math.max(...records);
  const parser = createReadStream(path).pipe(parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
  let record = -1;
  let previousEnd = 0;
  try {
    for await (const { info } of parser as AsyncIterable<{ info: { lines: number } }>) {
      record++;
      if (wanted.has(record)) lines.set(record, previousEnd + 1);
      previousEnd = info.lines;
      if (record >= last) break;
    }
  } catch {
    // The file breaks further on; the records asked about were read.
  } finally {
    parser.destroy();
  }
  for (const r of records) if (!lines.has(r)) lines.set(r, previousEnd + 1);
  return lines;
}
