import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import {
  bulkTransaction, existingContentKeys, insertAccountRows, insertActivityRows, insertContactRows, insertPersonRow, insertRatingRows, insertTierChangeRows,
  tableIsEmpty, updateAccountRow, updateContactRow, withBulkLoad, type ActivityBatchRow, type LoadedTables,
} from '../db/bulk-load.repository.ts';
import { allAccountRows, allContactNames, allContactRows, allPeopleRefs, type ContactName } from '../db/export.repository.ts';
import { BATCH_ROWS } from '../db/statement-cache.ts';
import { activityContentKey, ratingContentKey } from '../db/content-key.ts';
import type { Db, DbOrTrx } from '../db/create-db.ts';
import { engineOf } from '../db/sql.ts';
import { isEmail } from '../db/person.repository.ts';
import type { AccountRow, ContactRow, NewAccountRow, NewContactRow } from '../db/schema.ts';
import type { Metrics } from '../core/metrics.ts';
import { matchId, matchLevel } from '../core/resolve.ts';
import { isIsoDate, parseBirthday, type IsoDate } from '../domain/dates.ts';
import { ACTIVITY_TYPE_IDS, DIMENSIONS, LEVEL_VALUE, POSITIONS, ROLES, STAGES, STYLES, TIERS, type Dimension } from '../domain/model.ts';
import { distinct } from '../domain/collections.ts';
import { nameKey } from '../domain/names.ts';
import { cleanText, forbiddenInName } from '../domain/text.ts';
import { COLUMNS, LIST_SEPARATOR, REQUIRED, type ImportKind } from './columns.ts';
import { restoreCell } from './formula.ts';
import { KeySet } from './key-set.ts';
import { CsvError, csvBatches } from './read-csv.ts';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportResult {
  kind: ImportKind;
  rows: number;
  counts: ImportCounts;
}

/** A file that cannot be imported: its first bad rows, nothing written. */
export class ImportError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ImportError';
  }
}

const MAX_PROBLEMS = 20;

/** The tables an import fills, the first being the one whose emptiness lets their indexes wait (`withBulkLoad`). */
const LOADED_TABLES: Record<ImportKind, LoadedTables> = {
  accounts: [], // 10,000 rows at most in practice, and only unique indexes
  contacts: ['contacts'],
  activities: ['activities', 'activity_contacts', 'activity_attendees'],
  ratings: ['ratings'],
};

export interface ImportOptions {
  actorId: number | null;
  today: IsoDate;
  now: Date;
  /** Called now and then with the share of the file read (0–1). */
  onProgress?: (share: number) => void;
  /** Counts the rows imported, or the file refused. */
  metrics?: Metrics;
}

type Row = Record<string, string>;
/** A bad cell: the column and why. */
class CellError extends Error {
  constructor(readonly column: string, reason: string) {
    super(reason);
  }
}

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
      const problems: Array<{ record: number; line?: number; what: string }> = [];
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
              problems.push(...headerProblems(kind, header).map((what) => ({ record, line: 1, what })));
              if (problems.length > 0) break reading;
              continue;
            }
            rows++;
            if (fields.length !== header.length) {
              problems.push({ record, what: `: expected ${header.length} fields, found ${fields.length}` });
            } else {
              const row: Row = {};
              // An apostrophe that export put before a formula-like cell comes off again (formula.ts).
              for (let i = 0; i < header.length; i++) row[header[i]!] = restoreCell(fields[i]!.trim());
              try {
                let parsed = importer.parse(row);
                if (parsed instanceof Promise) parsed = await parsed;
                if (!seen.add(parsed.key)) throw new CellError(importer.keyColumn, 'the same row is already earlier in this file');
                if (problems.length === 0) batch.push(parsed);
              } catch (error) {
                if (!(error instanceof CellError)) throw error;
                problems.push({ record, what: `, column ${error.column}: ${error.message}` });
              }
            }
            if (problems.length >= MAX_PROBLEMS) break reading;
            if (batch.length >= BATCH_ROWS) {
              await write(batch);
              batch = [];
              options.onProgress?.(Math.min(1, bytesRead / size));
            }
          }
        }
      } catch (error) {
        if (!(error instanceof CsvError && error.code?.startsWith('CSV_'))) throw error;
        // A quote never closed runs to the end of the file, where the parser notices: name the
        // line its record starts on instead. Other faults are where the parser says.
        if (error.code === 'CSV_QUOTE_NOT_CLOSED') problems.push({ record: record + 1, what: ': a quoted field is never closed (a " is missing)' });
        else problems.push({ record: record + 1, line: error.lines, what: `: ${error.message.replace(/^Invalid[^:]*: /, '')}` });
      }
      if (!header && problems.length === 0) problems.push({ record: 0, line: 1, what: ': the file is empty (a header row is needed)' });
      // A write still under way fails the import with its own error if it fails.
      await write.settled();
      // Throwing rolls the transaction back: nothing of a bad file is written.
      if (problems.length > 0) {
        const shown = problems.slice(0, MAX_PROBLEMS);
        const lines = await firstLines(path, shown.filter((p) => p.line === undefined).map((p) => p.record));
        throw new ImportError(shown.map((p) => `line ${p.line ?? lines.get(p.record)}${p.what}`));
      }
      await write(batch);
      await write.settled();
      options.onProgress?.(1);
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

function headerProblems(kind: ImportKind, header: string[]): string[] {
  const known: readonly string[] = COLUMNS[kind];
  const problems = header.filter((h) => !known.includes(h)).map((h) => `line 1, column ${h || '(blank)'}: unknown column (expected: ${known.join(', ')})`);
  for (const column of REQUIRED[kind]) if (!header.includes(column)) problems.push(`line 1, column ${column}: missing`);
  const twice = header.filter((h, i) => header.indexOf(h) !== i);
  for (const column of new Set(twice)) problems.push(`line 1, column ${column}: appears twice`);
  if (kind === 'ratings' && !header.includes('level') && !DIMENSIONS.some((d) => header.includes(d))) {
    problems.push(`line 1, column level: missing (give level, or the six dimension columns)`);
  }
  return problems;
}

interface Importer<P extends { key: string }> {
  keyColumn: string;
  counts: ImportCounts;
  /** The row checked and resolved: a promise only when it names a new person (see peopleLookup). */
  parse(row: Row): P | Promise<P>;
  write(batch: unknown[]): Promise<void>;
}

type Factory = (trx: DbOrTrx, options: ImportOptions) => Promise<Importer<{ key: string }>>;

// ── cell readers: each names its column when it fails ───────────────────────────

const has = (row: Row, column: string) => column in row;
const text = (row: Row, column: string): string | null => (row[column] ? row[column]! : null);

function required(row: Row, column: string): string {
  const value = row[column];
  if (!value) throw new CellError(column, 'is required');
  return value;
}

/** A new name: refused when it holds a control or invisible character (domain/text.ts). */
function nameCell(row: Row, column: string): string {
  const value = required(row, column);
  const bad = forbiddenInName(value);
  if (bad) throw new CellError(column, `holds a control or invisible character (${bad}), which a name cannot`);
  return value;
}

/** Free text without control characters; only multi-line text keeps tab and line breaks. */
function freeText(row: Row, column: string, multiline: boolean): string | null {
  const value = text(row, column);
  return value === null ? null : cleanText(value, { multiline }) || null;
}

function choice<T extends string>(row: Row, column: string, group: string, ids: readonly T[]): T | null {
  const value = text(row, column);
  if (value === null) return null;
  const id = matchId(group, ids, value);
  if (!id) throw new CellError(column, `"${value}" is not one of ${ids.join(', ')}`);
  return id;
}

function integer(row: Row, column: string, min: number, max: number): number | null {
  const value = text(row, column);
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new CellError(column, `"${value}" is not a whole number from ${min} to ${max}`);
  return n;
}

function date(row: Row, column: string): IsoDate {
  const value = required(row, column);
  if (!isIsoDate(value)) throw new CellError(column, `"${value}" is not a date (YYYY-MM-DD)`);
  return value;
}

function flag(row: Row, column: string): number {
  const value = text(row, column)?.toLowerCase();
  if (value === undefined || value === null || ['no', 'false', '0', '否'].includes(value)) return 0;
  if (['yes', 'true', '1', '是'].includes(value)) return 1;
  throw new CellError(column, `"${value}" is not yes or no`);
}

/**
 * Our people, by email, Slack or Teams id, console user or name; new emails are added.
 * A known person's id comes back at once, a new one's as a promise (written first):
 * callers wait only then ({@link settled}), as a promise per row of a large file is measurable.
 */
async function peopleLookup(trx: DbOrTrx, now: Date) {
  const byRef = new Map<string, number>();
  for (const p of await allPeopleRefs(trx)) {
    for (const ref of [p.email, p.slack_id, p.teams_id, p.local_user, p.name]) if (ref && !byRef.has(ref.toLowerCase())) byRef.set(ref.toLowerCase(), p.id);
  }
  const added = async (ref: string, column: string): Promise<number> => {
    let id: number;
    if (isEmail(ref)) id = await insertPersonRow(trx, ref.split('@')[0]!, { email: ref.toLowerCase() }, now);
    else if (/^[UW][A-Z0-9]{6,}$/.test(ref)) id = await insertPersonRow(trx, ref, { slack_id: ref }, now);
    else throw new CellError(column, `"${ref}" is not a known person (use an email or a Slack/Teams user id)`);
    byRef.set(ref.toLowerCase(), id);
    return id;
  };
  return (cell: string | null, column: string): number | null | Promise<number> => {
    const ref = cell?.replace(/^@/, '');
    if (!ref) return null;
    return byRef.get(ref.toLowerCase()) ?? added(ref, column);
  };
}

/**
 * `finish(values)` at once when every value is at hand, else once the promises among
 * them settle: a row waits only when it names a new person, and a row that does not
 * costs no promise (a million-row import notices one a row).
 */
function settled<T, R>(values: Array<T | Promise<T>>, finish: (values: T[]) => R): R | Promise<R> {
  return values.some((v) => v instanceof Promise) ? Promise.all(values).then(finish) : finish(values as T[]);
}

/**
 * Rows by name key, and ids by the name exactly as a file spells it: an exported file
 * (and most others) repeats stored names verbatim, and an exact hit skips the name-key
 * normalisation that would otherwise run for every reference of every row.
 */
function accountLookup(rows: AccountRow[]) {
  const byKey = new Map(rows.map((r) => [r.name_key, r]));
  const byName = new Map(rows.map((r) => [r.name, r.id]));
  return {
    byKey,
    id(row: Row, column: string): number {
      const name = required(row, column);
      const exact = byName.get(name);
      if (exact !== undefined) return exact;
      const account = byKey.get(nameKey(name));
      if (!account) throw new CellError(column, `no account named "${name}" (import accounts first)`);
      return account.id;
    },
  };
}

/** A contact's key within an import: its account and its name key. */
const contactKey = (accountId: number, key: string) => `${accountId}:${key}`;

function contactLookup<C extends ContactName>(rows: C[]) {
  // Per account, then by name: no key string to build for every lookup.
  const byName = new Map<number, Map<string, number>>();
  // By name key, built the first time it is needed (a file spelling names as stored never
  // needs it, and for 100,000 contacts it is a tenth of an activity import's live heap).
  let keyed: Map<string, C> | undefined;
  const byKey = () => (keyed ??= new Map(rows.map((r) => [contactKey(r.account_id, r.name_key), r])));
  const named = (row: C) => {
    let names = byName.get(row.account_id);
    if (!names) byName.set(row.account_id, (names = new Map()));
    names.set(row.name, row.id);
  };
  rows.forEach(named);
  return {
    byKey,
    id(accountId: number, name: string, column: string): number {
      const exact = byName.get(accountId)?.get(name);
      if (exact !== undefined) return exact;
      const contact = byKey().get(contactKey(accountId, nameKey(name)));
      if (!contact) throw new CellError(column, `no contact named "${name}" at this account (import contacts first)`);
      return contact.id;
    },
  };
}

/** Which of `set`'s values differ from the stored row. */
function changes<R extends object>(stored: R, set: Partial<R>): Partial<R> {
  return Object.fromEntries(Object.entries(set).filter(([k, v]) => (stored as Record<string, unknown>)[k] !== v)) as Partial<R>;
}

// ── one importer per table ──────────────────────────────────────────────────────

/** A contact's owners, by CSV column (stored as `<column>_id`). */
const OWNERS = ['owner_a', 'owner_b', 'owner_c'] as const;

/** An account's people: the CSV column and the stored one. */
const MANAGERS = [
  ['account_manager', 'account_manager_id'], ['solution_manager', 'solution_manager_id'], ['delivery_manager', 'delivery_manager_id'], ['sponsor', 'sponsor_id'],
] as const;

const IMPORTERS: Record<ImportKind, Factory> = {
  accounts: async (trx, options) => {
    const accounts = accountLookup(await allAccountRows(trx));
    const person = await peopleLookup(trx, options.now);
    const counts = { created: 0, updated: 0, unchanged: 0 };
    type Parsed = { key: string; name: string; set: Partial<AccountRow> };
    return {
      keyColumn: 'name',
      counts,
      parse(row) {
        const name = nameCell(row, 'name');
        const set: Partial<AccountRow> = { name, name_key: nameKey(name) };
        if (has(row, 'tier')) set.tier = choice(row, 'tier', 'tier', TIERS) ?? 'general';
        for (const c of ['industry', 'region'] as const) if (has(row, c)) set[c] = freeText(row, c, false);
        for (const c of ['contribution', 'credit', 'potential'] as const) if (has(row, c)) set[c] = integer(row, c, 1, 5);
        // A column the file leaves out leaves its person as stored (undefined here).
        return settled(MANAGERS.map(([c]) => (has(row, c) ? person(text(row, c), c) : undefined)), (people) => {
          MANAGERS.forEach(([, field], i) => {
            if (people[i] !== undefined) set[field] = people[i];
          });
          return { key: set.name_key!, name, set } satisfies Parsed;
        });
      },
      async write(batch) {
        const now = options.now.toISOString();
        const fresh: NewAccountRow[] = [];
        for (const { key, set } of batch as Parsed[]) {
          const stored = accounts.byKey.get(key);
          if (!stored) {
            // Completed in place, not copied: the parsed row is not used again.
            set.tier ??= 'general';
            set.tier_set_on = set.created_on = options.today;
            set.updated_at = now;
            fresh.push(set as NewAccountRow);
            continue;
          }
          const diff = changes(stored, set);
          if (Object.keys(diff).length === 0) {
            counts.unchanged++;
            continue;
          }
          if (diff.tier) {
            // §1 a tier change is history, whoever makes it.
            await insertTierChangeRows(trx, [{ account_id: stored.id, from_tier: stored.tier, to_tier: diff.tier, reason: 'import', changed_by: options.actorId, changed_on: options.today, changed_at: now }]);
            Object.assign(diff, { tier_set_on: options.today, tier_reviewed_on: null });
          }
          await updateAccountRow(trx, stored.id, { ...diff, updated_at: now });
          counts.updated++;
        }
        // The lookups keep the rows stored before the import: a file names each account once
        // (a repeat is refused as such), so none is looked up again.
        const ids = await insertAccountRows(trx, fresh);
        await insertTierChangeRows(trx, fresh.map((a, i) => ({ account_id: ids[i]!, from_tier: null, to_tier: a.tier, reason: 'import', changed_by: options.actorId, changed_on: options.today, changed_at: now })));
        counts.created += ids.length;
      },
    };
  },

  contacts: async (trx, options) => {
    const accounts = accountLookup(await allAccountRows(trx));
    const contacts = contactLookup(await allContactRows(trx));
    const person = await peopleLookup(trx, options.now);
    const counts = { created: 0, updated: 0, unchanged: 0 };
    type Parsed = { key: string; set: Partial<ContactRow> & { account_id: number; name: string; name_key: string } };
    return {
      keyColumn: 'name',
      counts,
      parse(row) {
        const accountId = accounts.id(row, 'account');
        const name = nameCell(row, 'name');
        const set: Parsed['set'] = { account_id: accountId, name, name_key: nameKey(name) };
        const key = contactKey(accountId, set.name_key);
        for (const c of ['title', 'department', 'notes'] as const) if (has(row, c)) set[c] = freeText(row, c, c === 'notes');
        if (has(row, 'position')) set.position = choice({ position: row.position?.toUpperCase() ?? '' }, 'position', 'position', POSITIONS);
        if (has(row, 'role')) set.role = choice(row, 'role', 'role', ROLES) ?? 'none';
        if (has(row, 'style')) set.style = choice(row, 'style', 'style', STYLES);
        if (has(row, 'need_level')) set.need_level = integer(row, 'need_level', 1, 5);
        if (has(row, 'rising_star')) set.rising_star = flag(row, 'rising_star');
        const owners = OWNERS.map((c) => (has(row, c) ? person(text(row, c), c) : undefined));
        if (has(row, 'birthday')) Object.assign(set, birthday(row));
        return settled(owners, (people) => {
          OWNERS.forEach((c, i) => {
            if (people[i] !== undefined) set[`${c}_id`] = people[i];
          });
          return { key, set } satisfies Parsed;
        });
      },
      async write(batch) {
        const now = options.now.toISOString();
        const fresh: NewContactRow[] = [];
        for (const { key, set } of batch as Parsed[]) {
          const stored = contacts.byKey().get(key);
          if (!stored) {
            set.created_on = options.today;
            set.updated_at = now;
            fresh.push(set as NewContactRow);
            continue;
          }
          const diff = changes(stored, set);
          if (Object.keys(diff).length === 0) counts.unchanged++;
          else {
            await updateContactRow(trx, stored.id, { ...diff, updated_at: now });
            counts.updated++;
          }
        }
        // Not looked up again: a file names each contact once (a repeat is refused as such).
        await insertContactRows(trx, fresh);
        counts.created += fresh.length;
      },
    };
  },

  activities: async (trx, options) => {
    const accounts = accountLookup(await allAccountRows(trx));
    const contacts = contactLookup(await allContactNames(trx));
    const person = await peopleLookup(trx, options.now);
    const counts = { created: 0, updated: 0, unchanged: 0 };
    // Into an empty table nothing can be there already (repeats within the file are caught apart).
    const wasEmpty = await tableIsEmpty(trx, 'activities');
    const createdAt = options.now.toISOString();
    type Parsed = ActivityBatchRow & { key: string };
    return {
      keyColumn: 'date',
      counts,
      parse(row) {
        const day = date(row, 'date');
        const accountId = accounts.id(row, 'account');
        const type = choice(row, 'type', 'activity', ACTIVITY_TYPE_IDS);
        if (!type) throw new CellError('type', 'is required');
        const stage = choice(row, 'stage', 'stage', STAGES);
        const contactIds = distinct(list(row, 'contacts').map((name) => contacts.id(accountId, name, 'contacts')));
        return settled(list(row, 'attendees').map((ref) => person(ref, 'attendees')!), (ids) => {
          const attendeeIds = distinct(ids);
          const purpose = freeText(row, 'purpose', false);
          const summary = freeText(row, 'summary', true);
          const key = activityContentKey({ accountId, date: day, type, stage, contactIds, attendeeIds, purpose, summary });
          const activity = { account_id: accountId, date: day, type, stage, purpose, summary, needs: null, objections: null, created_by: options.actorId, created_at: createdAt, content_key: key };
          return { key, contactIds, attendeeIds, activity } satisfies Parsed;
        });
      },
      async write(batch) {
        const rows = batch as Parsed[];
        const stored = wasEmpty ? new Set<string>() : await existingContentKeys(trx, 'activities', rows.map((r) => r.key));
        const fresh = rows.filter((r) => !stored.has(r.key));
        await insertActivityRows(trx, fresh);
        counts.created += fresh.length;
        counts.unchanged += rows.length - fresh.length;
      },
    };
  },

  ratings: async (trx, options) => {
    const accounts = accountLookup(await allAccountRows(trx));
    const contacts = contactLookup(await allContactNames(trx));
    const person = await peopleLookup(trx, options.now);
    const counts = { created: 0, updated: 0, unchanged: 0 };
    const wasEmpty = await tableIsEmpty(trx, 'ratings');
    const createdAt = options.now.toISOString();
    type Parsed = { key: string; row: { contact_id: number; rated_by: number | null; date: string; note: null; created_at: string; content_key: string } & Record<Dimension, number | null> };
    return {
      keyColumn: 'contact',
      counts,
      parse(row) {
        const day = date(row, 'date');
        const accountId = accounts.id(row, 'account');
        const contactId = contacts.id(accountId, required(row, 'contact'), 'contact');
        const rater = person(text(row, 'rated_by'), 'rated_by');
        if (rater === null) throw new CellError('rated_by', 'is required');
        const values: Partial<Record<Dimension, number>> = {};
        const quick = text(row, 'level');
        if (quick !== null) {
          const level = matchLevel(quick);
          if (!level) throw new CellError('level', `"${quick}" is not a level (opposed, neutral, supportive, exclusive, coach or −1…3)`);
          for (const d of DIMENSIONS) values[d] = LEVEL_VALUE[level];
        }
        for (const d of DIMENSIONS) {
          const cell = text(row, d);
          if (cell === null) continue;
          const level = matchLevel(cell);
          if (!level) throw new CellError(d, `"${cell}" is not a level (−1…3 or its name)`);
          values[d] = LEVEL_VALUE[level];
        }
        if (Object.keys(values).length === 0) throw new CellError('level', 'give a level or at least one dimension');
        return settled([rater], ([ratedBy]) => {
          const key = ratingContentKey({ contactId, date: day, ratedBy, values });
          const stored = { contact_id: contactId, rated_by: ratedBy, date: day, note: null, created_at: createdAt, content_key: key } as Parsed['row'];
          for (const d of DIMENSIONS) stored[d] = values[d] ?? null;
          return { key, row: stored } satisfies Parsed;
        });
      },
      async write(batch) {
        const rows = batch as Parsed[];
        const stored = wasEmpty ? new Set<string>() : await existingContentKeys(trx, 'ratings', rows.map((r) => r.key));
        const fresh = rows.filter((r) => !stored.has(r.key)).map((r) => r.row);
        await insertRatingRows(trx, fresh);
        counts.created += fresh.length;
        counts.unchanged += rows.length - fresh.length;
      },
    };
  },
};

/** A list cell's items, trimmed, blanks left out. */
function list(row: Row, column: string): string[] {
  const cell = row[column];
  if (!cell) return [];
  const items = cell.split(LIST_SEPARATOR);
  let kept = 0;
  for (const item of items) {
    const trimmed = item.trim();
    if (trimmed) items[kept++] = trimmed;
  }
  items.length = kept;
  return items;
}

function birthday(row: Row): { birthday: string | null; birth_year: number | null } {
  const value = text(row, 'birthday');
  if (value === null) return { birthday: null, birth_year: null };
  const parsed = parseBirthday(value);
  if (!parsed) throw new CellError('birthday', `"${value}" is not a birthday (MM-DD or YYYY-MM-DD)`);
  return { birthday: parsed.monthDay, birth_year: parsed.year };
}
