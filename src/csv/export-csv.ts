import { closeSync, existsSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { allAccountRows, allContactRows, allPeopleRefs, pageActivities, pageRatings } from '../db/export.repository.ts';
import type { DbOrTrx } from '../db/create-db.ts';
import { DIMENSIONS } from '../domain/model.ts';
import { COLUMNS, LIST_SEPARATOR, TEXT_COLUMNS, type ImportKind } from './columns.ts';
import { neutraliseCell } from './formula.ts';

/**
 * Writes the importable tables as CSV files in `dir` (accounts.csv, contacts.csv,
 * activities.csv, ratings.csv), in the columns `mcr import` reads, from one
 * consistent read. UTF-8 with a BOM, so spreadsheet programs open Chinese text right.
 * Refuses a folder that already holds files. A free-text cell that a spreadsheet would
 * run as a formula gets a leading apostrophe (formula.ts), which import takes away.
 */
export async function exportCsv(db: DbOrTrx, dir: string): Promise<Record<ImportKind, number>> {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty; export into a new folder`);
  mkdirSync(dir, { recursive: true });
  const people = new Map((await allPeopleRefs(db)).map((p) => [p.id, p.email ?? p.slack_id ?? p.teams_id ?? p.name]));
  const person = (id: number | null) => (id === null ? '' : people.get(id) ?? '');
  const accounts = await allAccountRows(db);
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  const counts = { accounts: 0, contacts: 0, activities: 0, ratings: 0 };

  const write = async (kind: ImportKind, rows: AsyncIterable<unknown[][]> | Iterable<unknown[][]>) => {
    const columns = COLUMNS[kind] as readonly string[];
    const free = columns.map((c) => (TEXT_COLUMNS[kind] as readonly string[]).includes(c));
    const fd = openSync(join(dir, `${kind}.csv`), 'w');
    try {
      writeSync(fd, `\ufeff${stringify([columns as string[]])}`);
      for await (const page of rows) {
        writeSync(fd, stringify(page.map((r) => r.map((v, i) => (v === null || v === undefined ? '' : free[i] ? neutraliseCell(String(v)) : String(v))))));
        counts[kind] += page.length;
      }
    } finally {
      closeSync(fd);
    }
  };

  await write('accounts', [
    accounts.map((a) => [a.name, a.tier, a.industry, a.region, a.contribution, a.credit, a.potential, person(a.account_manager_id), person(a.solution_manager_id), person(a.delivery_manager_id), person(a.sponsor_id)]),
  ]);
  await write('contacts', [
    (await allContactRows(db)).map((c) => [
      accountName.get(c.account_id), c.name, c.title, c.department, c.position, c.role, person(c.owner_a_id), person(c.owner_b_id), person(c.owner_c_id),
      c.style, c.need_level, c.birthday && (c.birth_year ? `${c.birth_year}-${c.birthday}` : c.birthday), c.rising_star ? 'yes' : 'no', c.notes,
    ]),
  ]);
  await write('activities', mapPages(pageActivities(db), (a) => [a.date, a.account, a.type, a.contacts.join(LIST_SEPARATOR), a.attendees.join(LIST_SEPARATOR), a.stage, a.purpose, a.summary]));
  // Ratings always as the six dimension columns (a quick rating is the same level on all six, §3).
  await write('ratings', mapPages(pageRatings(db), (r) => [r.date, r.account, r.contact, r.email ?? r.slack_id ?? r.teams_id ?? r.rater, '', ...DIMENSIONS.map((d) => r[d])]));
  return counts;
}

async function* mapPages<T>(pages: AsyncIterable<T[]>, row: (item: T) => unknown[]): AsyncIterable<unknown[][]> {
  for await (const page of pages) yield page.map(row);
}
