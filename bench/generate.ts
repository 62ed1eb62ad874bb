import { hash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { COLUMNS } from '../src/csv/columns.ts';
import { KeySet } from '../src/csv/key-set.ts';
import { addDays } from '../src/domain/dates.ts';
import { DIMENSIONS, LEVELS, POSITIONS, ROLES, STYLES } from '../src/domain/model.ts';

/** A seeded PRNG (mulberry32): the same data set on every run. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Sizes {
  accounts: number;
  contacts: number;
  activities: number;
  ratings: number;
}

export const FULL: Sizes = { accounts: 10_000, contacts: 100_000, activities: 1_000_000, ratings: 300_000 };
export const scaled = (scale: number): Sizes => ({
  accounts: Math.round(FULL.accounts * scale),
  contacts: Math.round(FULL.contacts * scale),
  activities: Math.round(FULL.activities * scale),
  ratings: Math.round(FULL.ratings * scale),
});

const PEOPLE = 500;
const TODAY = '2026-11-24';
const SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Smith', 'Garcia', 'Müller', 'Kim', 'Nair', '王', '李', '张', '刘', '陈'];
const GIVEN = ['Wei', 'Na', 'Min', 'Tom', 'Anna', 'Priya', 'Omar', 'Grace', 'Lukas', '芳', '伟', '娜', '强', '敏'];
const INDUSTRIES = ['Telecom', 'Banking', 'Logistics', 'Manufacturing', '能源', '金融', '制造'];
// Roughly how often each type is logged: visits and exchanges dominate, summits are rare.
const TYPE_WEIGHTS: Record<string, number> = { visit: 30, exchange: 20, meal: 10, care: 8, company_tour: 3, training: 3, workshop: 4, forum: 3, social: 3, milestone: 3, summit: 1, exec_visit: 1, roadmap: 2, service_meeting: 1, planning: 1 };

/** The Chinese or Latin name of account `i` (unique). */
export const accountName = (i: number) => (i % 3 === 0 ? `客户${i}有限公司` : `Account ${i} Holdings`);
/** The name of contact `j` of an account (unique within it). */
export const contactName = (i: number, rnd: () => number) => `${SURNAMES[Math.floor(rnd() * SURNAMES.length)]} ${GIVEN[Math.floor(rnd() * GIVEN.length)]} ${i}`;

/** Writes the rows a generator yields, 5,000 at a time, waiting whenever the file stream's buffer is full. */
async function writeCsv(path: string, columns: readonly string[], rows: Iterable<unknown[]>): Promise<void> {
  const out: WriteStream = createWriteStream(path);
  const write = async (records: unknown[][]) => {
    if (!out.write(stringify(records.map((r) => r.map((v) => (v === null || v === undefined ? '' : String(v))))))) await once(out, 'drain');
  };
  await write([columns as string[]]);
  let buffer: unknown[][] = [];
  for (const row of rows) {
    buffer.push(row);
    if (buffer.length >= 5000) {
      await write(buffer);
      buffer = [];
    }
  }
  await write(buffer);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/**
 * Writes accounts.csv, contacts.csv, activities.csv and ratings.csv (interfaces.md
 * columns) into `dir`. Contacts per account and activities per contact vary; dates
 * spread over the two years up to 2026-11-24.
 */
export async function generate(dir: string, sizes: Sizes, seed = 42): Promise<{ files: Record<string, string>; contactsOf: number[] }> {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)]!;
  const person = () => `person${Math.floor(rnd() * PEOPLE)}@example.com`;
  const types = Object.entries(TYPE_WEIGHTS).flatMap(([type, weight]) => Array<string>(weight).fill(type));
  const files = { accounts: join(dir, 'accounts.csv'), contacts: join(dir, 'contacts.csv'), activities: join(dir, 'activities.csv'), ratings: join(dir, 'ratings.csv') };

  await writeCsv(files.accounts, COLUMNS.accounts, (function* () {
    for (let i = 0; i < sizes.accounts; i++) {
      const tier = i % 20 === 0 ? 'strategic' : i % 7 === 0 ? 'partner' : i % 3 === 0 ? 'priority' : 'general';
      yield [accountName(i), tier, pick(INDUSTRIES), pick(['华东', 'EMEA', 'Americas', 'APAC']), 1 + Math.floor(rnd() * 5), 1 + Math.floor(rnd() * 5), 1 + Math.floor(rnd() * 5), person(), rnd() < 0.6 ? person() : '', rnd() < 0.5 ? person() : '', tier === 'strategic' || tier === 'partner' ? person() : ''];
    }
  })());

  // Contacts: spread over accounts, strategic ones get more; names remembered for activities and ratings.
  const contactsOf: number[] = Array(sizes.accounts).fill(0);
  for (let c = 0; c < sizes.contacts; c++) contactsOf[c < sizes.accounts ? c : Math.floor(rnd() * sizes.accounts)]!++;
  const names: string[][] = [];
  const contactRnd = random(seed + 1);
  await writeCsv(files.contacts, COLUMNS.contacts, (function* () {
    for (let i = 0; i < sizes.accounts; i++) {
      const list: string[] = [];
      for (let j = 0; j < contactsOf[i]!; j++) {
        const name = contactName(j, contactRnd);
        list.push(name);
        const key = rnd() < 0.4;
        const birthday = rnd() < 0.3 ? `${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}` : '';
        const title = pick(['CEO', 'CTO', 'Director', 'Manager', '总经理', '主任']);
        const position = pick(POSITIONS);
        const role = key ? pick(ROLES.filter((r) => r !== 'none')) : 'none';
        const ownerA = person();
        // A second owner is someone else (the import refuses the same person twice): drawn again on a repeat.
        let ownerB = key && rnd() < 0.7 ? person() : '';
        while (ownerB === ownerA) ownerB = person();
        yield [accountName(i), name, title, '', position, role, ownerA, ownerB, '', pick(STYLES), 1 + Math.floor(rnd() * 5), birthday, rnd() < 0.05 ? 'yes' : 'no', rnd() < 0.2 ? 'Prefers tea, not coffee, in the morning' : ''];
      }
      names.push(list);
    }
  })());

  const date = () => addDays(TODAY, -Math.floor(rnd() * 730));
  const withContacts = () => {
    let i = Math.floor(rnd() * sizes.accounts);
    while (names[i]!.length === 0) i = (i + 1) % sizes.accounts;
    return i;
  };
  await writeCsv(files.activities, COLUMNS.activities, (function* () {
    for (let n = 0; n < sizes.activities; n++) {
      const i = withContacts();
      const met = new Set<string>();
      const count = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < count; k++) met.add(pick(names[i]!));
      yield [date(), accountName(i), pick(types), [...met].join(';'), person(), rnd() < 0.3 ? pick(['lead', 'opportunity', 'contract', 'collection']) : '', '', `Visit ${n}: discussed roadmap, pricing and next steps`];
    }
  })());

  // A file must not hold the same rating twice (import refuses it), so draw again on a repeat.
  // Rows seen are kept as 96 bits of their MD5 in typed arrays (~18 bytes a row): a Set of the row texts
  // held 3,000,000 strings at ×10, about 400 MB.
  const seen = new KeySet();
  await writeCsv(files.ratings, [...COLUMNS.ratings], (function* () {
    for (let n = 0; n < sizes.ratings; ) {
      const i = withContacts();
      const quick = rnd() < 0.6;
      const level = () => LEVELS[Math.floor(rnd() * LEVELS.length)];
      const row = [date(), accountName(i), pick(names[i]!), person(), quick ? level() : '', ...DIMENSIONS.map(() => (quick ? '' : rnd() < 0.7 ? String(Math.floor(rnd() * 5) - 1) : ''))];
      if (row.slice(4).every((v) => v === '') || !seen.add(hash('md5', row.join('|')))) continue;
      yield row;
      n++;
    }
  })());
  return { files, contactsOf };
}
