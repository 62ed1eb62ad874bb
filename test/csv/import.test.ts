import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCsv } from '../../src/csv/export-csv.ts';
import { importCsv, ImportError, type ImportOptions } from '../../src/csv/import-csv.ts';
import type { ImportKind } from '../../src/csv/columns.ts';
import { engineOf } from '../../src/db/sql.ts';
import { tempDb } from '../helpers/db.ts';

const options: ImportOptions = { actorId: null, today: '2026-11-24', now: new Date('2026-11-24T10:00:00Z') };

describe('mcr import (interfaces.md CSV columns)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const load = (kind: ImportKind, text: string) => importCsv(t.db, kind, file(`${kind}-${Math.random()}.csv`, text), options);
  const problems = async (kind: ImportKind, text: string) => {
    const error = await load(kind, text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    return (error as ImportError).lines('en');
  };

  beforeEach(async () => {
    t = await tempDb();
    dir = mkdtempSync(join(tmpdir(), 'mcr-csv-'));
    await load('accounts', 'name,tier,account_manager\nAcme Telecom,strategic,alice@example.com\n华信银行,partner,bob@example.com\n');
    await load('contacts', 'account,name,position,role,owner_a,birthday\nAcme Telecom,Tom Baker,A,influencer,alice@example.com,1980-02-29\n华信银行,李娜,A,influencer,bob@example.com,11-27\n');
  });
  afterEach(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads labels in either language, BOM and all, and creates the people it names', async () => {
    const accounts = await t.db.selectFrom('accounts').select(['name', 'tier']).orderBy('id').execute();
    expect(accounts).toEqual([{ name: 'Acme Telecom', tier: 'strategic' }, { name: '华信银行', tier: 'partner' }]);
    const li = await t.db.selectFrom('contacts').select(['role', 'birthday', 'birth_year']).where('name', '=', '李娜').executeTakeFirstOrThrow();
    expect(li).toEqual({ role: 'influencer', birthday: '11-27', birth_year: null });
    expect(await t.db.selectFrom('people').select('email').orderBy('email').execute()).toEqual([{ email: 'alice@example.com' }, { email: 'bob@example.com' }]);
    const result = await load('accounts', '\ufeffname,industry\nNorthwind,Logistics\n');
    expect(result.counts).toEqual({ created: 1, updated: 0, unchanged: 0 });
  });

  it.each([
    ['missing column', 'contacts', 'name,role\nTom,user\n', 'line 1, column account: missing'],
    ['unknown column', 'accounts', 'name,colour\nAcme,red\n', 'line 1, column colour: unknown column'],
    ['bad enum', 'contacts', 'account,name,role\nAcme Telecom,Ann,boss\n', 'line 2, column role: "boss" is not one of decision_maker, influencer, evaluator, user, none'],
    ['bad date', 'activities', 'date,account,type\n2026-02-30,Acme Telecom,visit\n', 'line 2, column date: "2026-02-30" is not a date (YYYY-MM-DD)'],
    ['unknown account', 'activities', 'date,account,type\n2026-11-01,Nowhere,visit\n', 'line 2, column account: no account named "Nowhere" (import accounts first)'],
    ['duplicate row', 'accounts', 'name\nZeta\nzeta\n', 'line 3, column name: the same row is already earlier in this file'],
    ['NUL in a name', 'accounts', 'name,industry\nGood Co,Retail\n"Ac\u0000me",Retail\n', 'line 3, column name: holds a control or invisible character (U+0000), which a name cannot'],
    ['direction override in a contact name', 'contacts', 'account,name\nAcme Telecom,Ann\nAcme Telecom,"Bob\u202Egnp.exe"\n', 'line 3, column name: holds a control or invisible character (U+202E)'],
    ['unknown contact', 'ratings', 'date,account,contact,rated_by,level\n2026-11-01,Acme Telecom,Nobody,alice@example.com,coach\n', 'line 2, column contact: no contact named "Nobody"'],
  ] as const)('%s: names the line and writes nothing', async (_, kind, text, message) => {
    const before = await t.db.selectFrom(kind === 'ratings' ? 'ratings' : kind).select('id').execute();
    const found = await problems(kind, `${text}`);
    expect(found[0]).toContain(message);
    expect(await t.db.selectFrom(kind === 'ratings' ? 'ratings' : kind).select('id').execute()).toEqual(before);
  });

  const ACCOUNT_COLUMNS = 'name, tier, industry, region, contribution, credit, potential, account_manager, solution_manager, delivery_manager, sponsor';
  it.each([
    ['one unknown column', 'accounts', 'name,colour\nAcme,red\n', [`line 1, column colour: unknown column (expected: ${ACCOUNT_COLUMNS})`]],
    ['two unknown columns, named once', 'accounts', 'name,colour,size\nAcme,red,XL\n', [`line 1, columns colour, size: unknown columns (expected: ${ACCOUNT_COLUMNS})`]],
    ['a missing and a repeated column', 'contacts', 'name,title,title\nTom,CTO,CTO\n', ['line 1, column account: missing', 'line 1, column title: appears twice']],
    ['ratings with no level', 'ratings', 'date,account,contact,rated_by\n', ['line 1, column level: missing (give level, or the six dimension columns)']],
    ['an empty file', 'accounts', '', ['line 1: the file is empty (a header row is needed)']],
    [
      'a contacts file imported as accounts, said once',
      'accounts',
      'account,name,title,notes\nAcme Telecom,Ann,CTO,\nAcme Telecom,Bob,CFO,\nAcme Telecom,Cy,COO,\n',
      [`line 1: this looks like a contacts file: columns account, title, notes are not account columns (import it as contacts; accounts take: ${ACCOUNT_COLUMNS})`],
    ],
    [
      'an accounts file imported as contacts, one foreign column',
      'contacts',
      'name,tier\nAcme Telecom,general\n',
      ['line 1: this looks like an accounts file: column tier is not a contact column (import it as accounts; contacts take: account, name, title, department, position, role, owner_a, owner_b, owner_c, style, need_level, birthday, rising_star, notes)'],
    ],
  ] as const)('a bad header (%s) is reported exactly, with its line once, and stops the import', async (_, kind, text, expected) => {
    expect(await problems(kind, text)).toEqual(expected);
  });

  it('reports the first 20 bad rows, counting lines through quoted newlines, and writes none of the good ones', async () => {
    const rows = ['date,account,type,summary', '2026-11-01,Acme Telecom,visit,"two\nlines"'];
    for (let i = 0; i < 30; i++) rows.push(`2026-11-0${(i % 9) + 1},Acme Telecom,${i % 2 ? 'visit' : 'nonsense'},row ${i}`);
    const found = await problems('activities', `${rows.join('\n')}\n`);
    expect(found).toHaveLength(15);
    // Line 2 holds a record over two lines, so the first bad record starts on line 4.
    expect(found[0]).toMatch(/^line 4, column type: "nonsense"/);
    expect(await t.db.selectFrom('activities').select('id').execute()).toEqual([]);
  });

  it('strips control characters from free text, keeping tab and line breaks where text has lines', async () => {
    await load('contacts', 'account,name,title,notes\nAcme Telecom,Ann Lee,"Head\tof\u0000 IT\u009b","line 1\u0000\u202E\r\n\tline 2\u0007"\n');
    const ann = await t.db.selectFrom('contacts').select(['title', 'notes']).where('name', '=', 'Ann Lee').executeTakeFirstOrThrow();
    expect(ann).toEqual({ title: 'Head of IT', notes: 'line 1\r\n\tline 2' });
    await load('activities', 'date,account,type,purpose,summary\n2026-11-01,Acme Telecom,visit,"Demo\u0000\nday","Went\u001b[2J well\u0000"\n');
    expect(await t.db.selectFrom('activities').select(['purpose', 'summary']).executeTakeFirstOrThrow()).toEqual({ purpose: 'Demo day', summary: 'Went[2J well' });
  });

  it('is idempotent: the same file again changes nothing and says so', async () => {
    const text = 'date,account,type,contacts,attendees,summary\n2026-11-01,Acme Telecom,meal,Tom Baker,alice@example.com,"Dinner, with toasts"\n';
    expect((await load('activities', text)).counts).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect((await load('activities', text)).counts).toEqual({ created: 0, updated: 0, unchanged: 1 });
    const ratings = 'date,account,contact,rated_by,level\n2026-11-01,华信银行,李娜,bob@example.com,coach\n';
    expect((await load('ratings', ratings)).counts).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect((await load('ratings', ratings)).counts).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect((await load('accounts', 'name,tier\nAcme Telecom,strategic\n')).counts).toEqual({ created: 0, updated: 0, unchanged: 1 });
  });

  it('updates a changed account and keeps a tier change as history (§1)', async () => {
    expect((await load('accounts', 'name,tier,region\nAcme Telecom,partner,EMEA\n')).counts).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const changes = await t.db.selectFrom('tier_changes').innerJoin('accounts', 'accounts.id', 'tier_changes.account_id').select(['from_tier', 'to_tier', 'reason']).where('accounts.name', '=', 'Acme Telecom').orderBy('tier_changes.id').execute();
    expect(changes).toEqual([{ from_tier: null, to_tier: 'strategic', reason: 'import' }, { from_tier: 'strategic', to_tier: 'partner', reason: 'import' }]);
  });

  it('a 5,000-row file with quoted newlines and Chinese text round-trips through export', async () => {
    const lines = ['account,name,title,notes,rising_star'];
    for (let i = 0; i < 5000; i++) lines.push(`${i % 2 ? 'Acme Telecom' : '华信银行'},联系人 ${i},"Director, ""Ops""","第一行\n第二行, with a comma ${i}",${i % 3 === 0 ? 'yes' : 'no'}`);
    const result = await load('contacts', `${lines.join('\r\n')}\r\n`);
    expect(result.counts.created).toBe(5000);
    const first = join(dir, 'first');
    await exportCsv(t.db, first);
    // Into an empty database, then out again: the same files.
    const other = await tempDb();
    try {
      for (const kind of ['accounts', 'contacts', 'activities', 'ratings'] as const) await importCsv(other.db, kind, join(first, `${kind}.csv`), options);
      const second = join(dir, 'second');
      await exportCsv(other.db, second);
      for (const kind of ['accounts', 'contacts', 'activities', 'ratings']) {
        expect(readFileSync(join(second, `${kind}.csv`), 'utf8'), kind).toBe(readFileSync(join(first, `${kind}.csv`), 'utf8'));
      }
      // And the same export imported again changes nothing.
      for (const kind of ['accounts', 'contacts', 'activities', 'ratings'] as const) {
        const again = await importCsv(other.db, kind, join(first, `${kind}.csv`), options);
        expect(again.counts.created + again.counts.updated, kind).toBe(0);
      }
    } finally {
      await other.cleanup();
    }
  });
  it('a batch the database refuses part-way through a file fails the import with the database’s own error and writes nothing', async () => {
    // On PostgreSQL the next batches are read while a batch is written, and each row here
    // names a new person, whose INSERT queues behind the refused batch: the error told must
    // still be the refusal, not "current transaction is aborted".
    const refuse = engineOf(t.db) === 'postgres'
      ? [
          `create function refuse_account() returns trigger language plpgsql as $$ begin if new.name = 'Refused 1100' then raise exception 'refused by a test trigger'; end if; return new; end $$`,
          'create trigger refuse_account before insert on accounts for each row execute function refuse_account()',
        ]
      : [`create trigger refuse_account before insert on accounts when new.name = 'Refused 1100' begin select raise(abort, 'refused by a test trigger'); end`];
    for (const statement of refuse) await sql.raw(statement).execute(t.db);
    const rows = Array.from({ length: 1600 }, (_, i) => `Refused ${i},person${i}@example.com`);
    const error = await load('accounts', `name,account_manager\n${rows.join('\n')}\n`).catch((e: unknown) => e);
    expect(String(error)).toContain('refused by a test trigger');
    expect(await t.db.selectFrom('accounts').select('name').orderBy('id').execute()).toEqual([{ name: 'Acme Telecom' }, { name: '华信银行' }]);
    expect(await t.db.selectFrom('people').select('email').orderBy('email').execute()).toEqual([{ email: 'alice@example.com' }, { email: 'bob@example.com' }]);
  });

  it('refuses one person as two owners of a contact (mcr-model §2), naming the column, and writes nothing', async () => {
    const before = await t.db.selectFrom('contacts').select('name').orderBy('id').execute();
    const found = await problems('contacts', 'account,name,owner_a,owner_b\nAcme Telecom,Sam Ortiz,carol@example.com,Carol@Example.com\n');
    expect(found.join('\n')).toMatch(/line 2.*owner_b.*same person as owner_a/);
    expect(await t.db.selectFrom('contacts').select('name').orderBy('id').execute()).toEqual(before);
    expect(await t.db.selectFrom('people').select('email').where('email', '=', 'carol@example.com').execute()).toEqual([]);
  });

  it('matches a contact named otherwise than stored (case, spaces) by its name key, in activities and ratings alike', async () => {
    await load('activities', 'date,account,type,contacts\n2026-11-01,Acme Telecom,visit,"  tom   BAKER "\n2026-11-02,华信银行,exchange,李娜\n');
    await load('ratings', 'date,account,contact,rated_by,level\n2026-11-01,acme telecom,TOM baker,alice@example.com,coach\n');
    const tom = await t.db.selectFrom('contacts').select('id').where('name', '=', 'Tom Baker').executeTakeFirstOrThrow();
    const linked = await t.db.selectFrom('activity_contacts').innerJoin('activities', 'activities.id', 'activity_contacts.activity_id').select(['activities.date', 'activity_contacts.contact_id']).orderBy('activities.date').execute();
    expect(linked[0]).toEqual({ date: '2026-11-01', contact_id: tom.id });
    expect(linked).toHaveLength(2);
    expect(await t.db.selectFrom('ratings').select('contact_id').execute()).toEqual([{ contact_id: tom.id }]);
  });

  it('a row refused for a cell after a name still being looked up reports its problems and leaves no failure unheard', async () => {
    const unheard: unknown[] = [];
    const listen = (reason: unknown) => unheard.push(reason);
    process.on('unhandledRejection', listen);
    try {
      // Row 2: a contact spelt otherwise and not found (looked up later) and a bad level; row 3: a rater who cannot be a new person and a bad level.
      const found = await problems('ratings', 'date,account,contact,rated_by,level\n2026-11-01,Acme Telecom,tom bakerr,alice@example.com,great\n2026-11-01,Acme Telecom,Tom Baker,just a name,great\n');
      expect(found).toEqual(['line 2, column level: "great" is not a level (opposed, neutral, supportive, exclusive, coach or −1…3)', 'line 3, column level: "great" is not a level (opposed, neutral, supportive, exclusive, coach or −1…3)']);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unheard).toEqual([]);
    } finally {
      process.off('unhandledRejection', listen);
    }
    expect(await t.db.selectFrom('ratings').select('id').execute()).toEqual([]);
  });
});
