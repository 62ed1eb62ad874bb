import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCsv } from '../../src/csv/export-csv.ts';
import { neutraliseCell, restoreCell } from '../../src/csv/formula.ts';
import { importCsv, type ImportOptions } from '../../src/csv/import-csv.ts';
import type { ImportKind } from '../../src/csv/columns.ts';
import { DIMENSIONS } from '../../src/domain/model.ts';
import { tempDb } from '../helpers/db.ts';

const options: ImportOptions = { actorId: null, today: '2026-11-24', now: new Date('2026-11-24T10:00:00Z') };
const KINDS = ['accounts', 'contacts', 'activities', 'ratings'] as const;

/** What a spreadsheet would run, written out again here rather than taken from the code under test. */
const dangerous = (cell: string) => /^[\t\r\n]/.test(cell) || /^\s*[=+\-@＝＋－＠−]/u.test(cell);
/** Columns holding checked numbers: `-1` there is a number, not a formula. */
const NUMERIC = new Set<string>(['contribution', 'credit', 'potential', 'need_level', 'level', ...DIMENSIONS]);

describe('formula cells (OWASP CSV injection)', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+1', "'+1"],
    ['-3', "'-3"],
    ['-', "'-"],
    ['@sum', "'@sum"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['\nx', "'\nx"],
    [' =1+1', "' =1+1"],
    ['＝1+1', "'＝1+1"],
    ["'=already", "''=already"],
    ["''+x", "'''+x"],
    ["'", "'"],
    ["''", "''"],
    ["'abc", "'abc"],
    ['a=b', 'a=b'],
    ['Acme', 'Acme'],
    ['', ''],
  ])('%j is written as %j and read back', (text, cell) => {
    expect(neutraliseCell(text)).toBe(cell);
    expect(restoreCell(cell)).toBe(text);
  });

  it('export then import gives back any text, and no written cell is dangerous without an apostrophe', () => {
    const alphabet = fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', '\n', ' ', '＝', 'a', '1', '"');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 6 }), fc.string(), (head, tail) => {
        const text = head + tail;
        const cell = neutraliseCell(text);
        expect(restoreCell(cell)).toBe(text);
        if (dangerous(text.replace(/^'+/, ''))) expect(cell.startsWith("'")).toBe(true);
        // A cell that export leaves alone is one import leaves alone.
        if (cell === text) expect(restoreCell(text)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('mcr export → import → export with formula-like text', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const load = (db: typeof t.db, kind: ImportKind, text: string) => importCsv(db, kind, file(`${kind}-${Math.random()}.csv`, text), options);

  const ACCOUNTS = ['=HYPERLINK("http://x","y")', '+1', '-3', '@sum', "'=already", "''", "'", '-', '＝SUM(A1)', 'Plain Ltd'];
  const NOTES = ['\tx', '\rx', ' =1+1', '=cmd|\' /C calc\'!A0', '-', "'", 'a\tb\r\nc'];

  beforeEach(async () => {
    t = await tempDb();
    dir = mkdtempSync(join(tmpdir(), 'mcr-formula-'));
    // Import takes formula-like text as it is; an apostrophe before one is taken as export's, so `'=already` is written `''=already`.
    const cell = (n: string) => `"${(n === "'=already" ? "''=already" : n).replace(/"/g, '""')}"`;
    await load(t.db, 'accounts', `name,industry,account_manager\n${ACCOUNTS.map((n, i) => `${cell(n)},${i % 2 ? '@Telecom' : '+Banking'},-ops@example.com`).join('\n')}\n`);
    expect((await t.db.selectFrom('accounts').select('name').orderBy('name').execute()).map((a) => a.name)).toEqual([...ACCOUNTS].sort());
    await load(t.db, 'contacts', `account,name,title\nPlain Ltd,-1,=2+3\nPlain Ltd,@Zhang,CTO\n${NOTES.map((_, i) => `-3,Contact ${i},`).join('\n')}\n`);
    // Text no file could carry after import's trim (leading tab, return, space), as a form could have stored it.
    for (const [i, notes] of NOTES.entries()) await t.db.updateTable('contacts').set({ notes }).where('name', '=', `Contact ${i}`).execute();
    await load(t.db, 'activities', 'date,account,type,contacts,attendees,purpose,summary\n2026-11-01,"=HYPERLINK(""http://x"",""y"")",visit,,-ops@example.com,-,+summary\n2026-11-02,Plain Ltd,meal,-1;@Zhang,,@here,"=1\n+2"\n');
    await load(t.db, 'ratings', 'date,account,contact,rated_by,level\n2026-11-03,Plain Ltd,-1,-ops@example.com,-1\n2026-11-04,Plain Ltd,@Zhang,-ops@example.com,3\n');
  });
  afterEach(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('neutralises every dangerous text cell, keeps numbers numbers, and round-trips byte for byte', async () => {
    const first = join(dir, 'first');
    await exportCsv(t.db, first);
    let checked = 0;
    for (const name of readdirSync(first)) {
      const [header, ...rows] = parse(readFileSync(join(first, name)), { bom: true, relax_column_count: true }) as string[][];
      for (const row of rows) {
        row.forEach((cell, i) => {
          if (NUMERIC.has(header![i]!)) {
            expect(cell, `${name} ${header![i]}`).toMatch(/^(-?\d)?$/);
          } else if (dangerous(cell.replace(/^'+/, ''))) {
            checked++;
            expect(cell.startsWith("'"), `${name} ${header![i]}: ${JSON.stringify(cell)}`).toBe(true);
          }
        });
      }
    }
    expect(checked).toBeGreaterThan(30);
    // The opposed rating is written as the number -1 on all six dimensions.
    expect(readFileSync(join(first, 'ratings.csv'), 'utf8')).toContain(`2026-11-03,Plain Ltd,'-1,'-ops@example.com,,-1,-1,-1,-1,-1,-1`);

    const other = await tempDb();
    try {
      for (const kind of KINDS) await importCsv(other.db, kind, join(first, `${kind}.csv`), options);
      // What was stored is the original text, apostrophes and all.
      expect((await other.db.selectFrom('accounts').select('name').orderBy('name').execute()).map((a) => a.name)).toEqual([...ACCOUNTS].sort());
      const notes = await other.db.selectFrom('contacts').select(['name', 'notes', 'title']).orderBy('name').execute();
      expect(notes.filter((c) => c.name.startsWith('Contact ')).map((c) => c.notes)).toEqual(NOTES);
      expect(notes.find((c) => c.name === '-1')?.title).toBe('=2+3');
      const ratings = await other.db.selectFrom('ratings').select(['acceptance']).orderBy('date').execute();
      expect(ratings.map((r) => r.acceptance)).toEqual([-1, 3]);

      const second = join(dir, 'second');
      await exportCsv(other.db, second);
      for (const kind of KINDS) expect(readFileSync(join(second, `${kind}.csv`), 'utf8'), kind).toBe(readFileSync(join(first, `${kind}.csv`), 'utf8'));
      // Importing the export again changes nothing.
      for (const kind of KINDS) {
        const again = await importCsv(other.db, kind, join(first, `${kind}.csv`), options);
        expect(again.counts.created + again.counts.updated, kind).toBe(0);
      }
    } finally {
      await other.cleanup();
    }
  });
});
