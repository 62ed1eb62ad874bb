import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCsv, ImportError, type ImportOptions } from '../../src/csv/import-csv.ts';
import type { ImportKind } from '../../src/csv/columns.ts';
import { engineOf } from '../../src/db/sql.ts';
import { tempDb } from '../helpers/db.ts';

const options: ImportOptions = { actorId: null, today: '2026-11-24', now: new Date('2026-11-24T10:00:00Z') };

/**
 * The fast paths of a large import: rows go in as fixed-size chunks (500, 100, 20, 1),
 * and a load into an empty table builds its secondary indexes once at the end (SQLite).
 * Whatever the path, the rows, their links and the schema come out the same.
 */
describe('bulk import paths', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let dir: string;
  const load = (kind: ImportKind, lines: string[]) => {
    const path = join(dir, `${kind}-${Math.random()}.csv`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return importCsv(t.db, kind, path, options);
  };
  const indexes = async () =>
    engineOf(t.db) === 'sqlite'
      ? (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and sql is not null order by name`.execute(t.db)).rows
      : (await sql<{ name: string; sql: string }>`select indexname as name, indexdef as sql from pg_indexes where schemaname = current_schema() order by indexname`.execute(t.db)).rows;

  beforeEach(async () => {
    t = await tempDb();
    dir = mkdtempSync(join(tmpdir(), 'mcr-bulk-'));
  });
  afterEach(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every row of batches of awkward sizes, each activity with its own contacts, and keeps every index', async () => {
    const before = await indexes();
    // 623 = 500 + 100 + 20 + 3 × 1 accounts; 1,247 activities with one to three contacts each.
    const accounts = Array.from({ length: 623 }, (_, i) => `Account ${i}`);
    await load('accounts', ['name,tier', ...accounts.map((a, i) => `${a},${['strategic', 'partner', 'priority', 'general'][i % 4]}`)]);
    await load('contacts', ['account,name', ...accounts.flatMap((a, i) => [`${a},Ann ${i}`, `${a},Bo ${i}`, `${a},Cy ${i}`])]);
    const activities = Array.from({ length: 1247 }, (_, i) => {
      const a = i % 623;
      const met = [`Ann ${a}`, `Bo ${a}`, `Cy ${a}`].slice(0, 1 + (i % 3));
      return { account: `Account ${a}`, date: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, met, attendee: `p${i % 7}@example.com` };
    });
    const file = ['date,account,type,contacts,attendees', ...activities.map((a) => `${a.date},${a.account},visit,${a.met.join(';')},${a.attendee}`)];
    const result = await load('activities', file);
    expect(result.counts).toEqual({ created: 1247, updated: 0, unchanged: 0 });

    const stored = await t.db
      .selectFrom('activities')
      .innerJoin('accounts', 'accounts.id', 'activities.account_id')
      .select(['activities.id', 'activities.date', 'accounts.name as account'])
      .orderBy('activities.id')
      .execute();
    expect(stored.map((s) => [s.date, s.account])).toEqual(activities.map((a) => [a.date, a.account]));
    const links = await t.db
      .selectFrom('activity_contacts')
      .innerJoin('contacts', 'contacts.id', 'activity_contacts.contact_id')
      .select(['activity_contacts.activity_id', 'contacts.name'])
      .execute();
    const namesOf = new Map<number, string[]>();
    for (const l of links) namesOf.set(l.activity_id, [...(namesOf.get(l.activity_id) ?? []), l.name].sort());
    expect(stored.map((s) => namesOf.get(s.id))).toEqual(activities.map((a) => [...a.met].sort()));
    expect(Number((await t.db.selectFrom('activity_attendees').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(1247);

    expect(await indexes()).toEqual(before);
    // The index the content key lookups use is there again: a second import finds every row.
    const again = await load('activities', file);
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 1247 });
  });

  it('gives each person a file names for the first time one row and the right id, across batches, and writes none of a refused file', async () => {
    // 1,230 accounts over three batches, a new person every third row (emails and Slack ids),
    // each named again further on; an update of a stored account names new people too.
    const person = (i: number) => (i % 2 === 0 ? `p${i}@example.com` : `U${String(i).padStart(8, '0')}`);
    const rows = Array.from({ length: 1230 }, (_, i) => `Account ${i},${person(Math.floor(i / 3))},${person(Math.floor(i / 3) + 1000)}`);
    await load('accounts', ['name,account_manager,sponsor', ...rows]);
    await load('accounts', ['name,solution_manager', 'Account 7,new@example.com', 'Account 8,U99999999']);
    const stored = await t.db
      .selectFrom('accounts')
      .leftJoin('people as am', 'am.id', 'accounts.account_manager_id')
      .leftJoin('people as sp', 'sp.id', 'accounts.sponsor_id')
      .leftJoin('people as sm', 'sm.id', 'accounts.solution_manager_id')
      .select(['accounts.name', 'am.email as am_email', 'am.slack_id as am_slack', 'sp.email as sp_email', 'sp.slack_id as sp_slack', 'sm.email as sm_email', 'sm.slack_id as sm_slack'])
      .execute();
    expect(stored).toHaveLength(1230);
    for (const a of stored) {
      const i = Number(a.name.split(' ')[1]);
      expect([a.name, a.am_email ?? a.am_slack, a.sp_email ?? a.sp_slack]).toEqual([a.name, person(Math.floor(i / 3)), person(Math.floor(i / 3) + 1000)]);
    }
    expect(stored.filter((a) => a.sm_email ?? a.sm_slack).map((a) => [a.name, a.sm_email ?? a.sm_slack]).sort()).toEqual([['Account 7', 'new@example.com'], ['Account 8', 'U99999999']]);
    const count = async () => Number((await t.db.selectFrom('people').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count()).toBe(2 * 410 + 2);
    // A refused file (its last row's tier) names 600 new people: none is written.
    const refused = Array.from({ length: 600 }, (_, i) => `Other ${i},general,q${i}@example.com`);
    await expect(load('accounts', ['name,tier,account_manager', ...refused, 'Last,golden,last@example.com'])).rejects.toThrow(ImportError);
    expect(await count()).toBe(2 * 410 + 2);
  });

  it('matches names spelled otherwise than stored (case, spacing, width) as well as verbatim', async () => {
    await load('accounts', ['name', 'Acme Telecom', '华信银行']);
    await load('contacts', ['account,name', 'Acme Telecom,Tom Baker', '华信银行,李 娜']);
    await load('activities', ['date,account,type,contacts', '2026-11-02,ACME  telecom,visit,tom baker', '2026-11-03,华信银行,visit,李娜', '2026-11-04,Acme Telecom,visit,Tom Baker']);
    const rows = await t.db
      .selectFrom('activity_contacts')
      .innerJoin('contacts', 'contacts.id', 'activity_contacts.contact_id')
      .innerJoin('activities', 'activities.id', 'activity_contacts.activity_id')
      .select(['activities.date', 'contacts.name'])
      .orderBy('activities.date')
      .execute();
    expect(rows).toEqual([
      { date: '2026-11-02', name: 'Tom Baker' },
      { date: '2026-11-03', name: '李 娜' },
      { date: '2026-11-04', name: 'Tom Baker' },
    ]);
    const refused = await load('ratings', ['date,account,contact,rated_by,level', '2026-11-05,Acme Telecom,Tom Bakers,a@example.com,coach']).catch((e: unknown) => e);
    expect((refused as ImportError).lines('en')).toEqual(['line 2, column contact: no contact named "Tom Bakers" at this account (import contacts first)']);
  });

  it('a refused file into an empty table leaves the indexes and no row', async () => {
    await load('accounts', ['name', 'Acme']);
    await load('contacts', ['account,name', 'Acme,Ann']);
    const before = await indexes();
    const lines = ['date,account,type,contacts,summary', ...Array.from({ length: 700 }, (_, i) => `2026-01-05,Acme,visit,Ann,call ${i}`)];
    lines.push('2026-13-01,Acme,visit,Ann,late'); // after a whole batch was written
    const error = await load('activities', lines).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).lines('en')).toEqual([expect.stringMatching(/^line 702, column date: "2026-13-01" is not a date/)]);
    expect(await t.db.selectFrom('activities').select('id').execute()).toEqual([]);
    expect(await indexes()).toEqual(before);
  });

  it('checks each reference itself, so none is left dangling, and turns foreign keys back on (SQLite)', async () => {
    if (engineOf(t.db) !== 'sqlite') return;
    const foreignKeys = async () => (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(t.db)).rows[0]!.foreign_keys;
    await load('accounts', ['name,account_manager', 'Acme,am@example.com', 'Beta,am@example.com']);
    await load('contacts', ['account,name,owner_a', 'Acme,Ann,ann.owner@example.com', 'Beta,Bo,am@example.com']);
    await load('activities', ['date,account,type,contacts,attendees', '2026-11-02,Acme,visit,Ann,new.one@example.com', '2026-11-03,Beta,visit,Bo,am@example.com']);
    await load('ratings', ['date,account,contact,rated_by,level', '2026-11-04,Acme,Ann,rater@example.com,coach']);
    expect((await sql`pragma foreign_key_check`.execute(t.db)).rows).toEqual([]);
    expect(await foreignKeys()).toBe(1);
    await expect(load('ratings', ['date,account,contact,rated_by,level', '2026-11-05,Acme,Nobody,rater@example.com,coach'])).rejects.toThrow(ImportError);
    expect(await foreignKeys()).toBe(1);
    // And they hold for whatever runs next on the connection.
    await expect(sql`insert into activity_contacts (activity_id, contact_id) values (999, 999)`.execute(t.db)).rejects.toThrow(/FOREIGN KEY/);
  });

  it('reports a quote left open after several batches at its line, and writes nothing', async () => {
    await load('accounts', ['name', 'Acme']);
    const lines = ['date,account,type,summary', ...Array.from({ length: 1200 }, (_, i) => `2026-01-05,Acme,visit,call ${i}`), '2026-01-06,Acme,visit,"never closed', '2026-01-07,Acme,visit,lost'];
    const error = await load('activities', lines).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).lines('en')).toEqual(['line 1202: a quoted field is never closed (a " is missing)']);
    expect(await t.db.selectFrom('activities').select('id').execute()).toEqual([]);
  });
});
