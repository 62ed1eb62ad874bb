import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.ts';
import { TEST_ENGINE, testDatabase } from '../helpers/engine.ts';
import { runMcr } from '../helpers/process.ts';

describe('the mcr command line, as a real process', () => {
  let dir: string;
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await testDatabase();
    drop = database.cleanup;
    dir = mkdtempSync(join(tmpdir(), 'mcr-cli-'));
    // SQLite: a folder that does not exist yet, which migrate creates.
    env = { DATABASE_URL: database.url.startsWith('file:') ? `file:${join(dir, 'db', 'mcr.sqlite')}` : database.url, MCR_TIMEZONE: 'Asia/Shanghai' };
    const demo = await runMcr(['demo', '--as-of', '2026-11-24'], env);
    // No MCR_OPERATOR: the CLI acts as the OS user and says once, on first use, how to change that.
    expect(demo.stderr).toMatch(/^Acting as the operating-system user ".+"\. .*set MCR_OPERATOR to your email.*\n$/);
    expect(demo.code).toBe(0);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await drop();
  });

  it('migrate creates the database folder and is then up to date', async () => {
    const result = await runMcr(['migrate'], env);
    expect(result).toMatchObject({ code: 0, stdout: 'Database is up to date.\n' });
  });

  it('brief --json has the field names of interfaces.md', async () => {
    const result = await runMcr(['brief', 'acme', '--json', '--as-of', '2026-11-24'], env);
    expect(result.code).toBe(0);
    const brief = JSON.parse(result.stdout);
    expect(Object.keys(brief)).toEqual(['account', 'tier', 'contacts', 'openActions', 'recentActivities', 'upcomingCare', 'gaps', 'suggestions']);
    expect(brief.account.name).toBe('Acme Telecom');
    expect(brief.tier).toBe('strategic');
    const margaret = brief.contacts.find((c: { name: string }) => c.name === 'Margaret Lee');
    // Demo: neutral 330 and 200 days ago, supportive 40 days ago → supportive now, neutral 90 days ago → up.
    expect(margaret).toMatchObject({ position: 'S', role: 'decision_maker', key: true, attitude: { score: 1, level: 'supportive', trend: 'up' } });
    expect(brief.contacts.find((c: { name: string }) => c.name === 'Jo Front')).toMatchObject({ key: false, attitude: null });
    // Tom Baker's birthday is 3 days after the demo's day.
    expect(brief.upcomingCare).toContainEqual(expect.objectContaining({ kind: 'birthday', date: '2026-11-27', daysAway: 3 }));
    expect(brief.gaps.map((g: { code: string }) => g.code)).toEqual(expect.arrayContaining(['no_coach', 'single_owner', 'plan_review_due']));
  });

  it('tier --json on a Chinese account name, as of an earlier date', async () => {
    const result = await runMcr(['tier', '华信银行', '--json', '--as-of', '2026-11-24'], env);
    expect(result.code).toBe(0);
    const tier = JSON.parse(result.stdout);
    expect(Object.keys(tier)).toEqual(expect.arrayContaining(['account', 'tier', 'tierSince', 'suggestedTier', 'valueScore', 'layersRequired', 'organizational', 'gaps', 'tierReviewDue']));
    // §1: (0.5·4 + 0.2·4 + 0.3·3 − 1) / 4 × 100 = 67.5 → 68 → partner.
    // The suggestion is the current tier, so none is given (§1: only when it differs).
    expect(tier).toMatchObject({ tier: 'partner', valueScore: 68, suggestedTier: null, layersRequired: ['broad', 'key', 'organizational'] });
    expect(tier.organizational.required).toHaveLength(9);
    expect(tier.gaps.map((g: { code: string }) => g.code)).toEqual(expect.arrayContaining(['decision_maker_opposed', 'no_sponsor']));
  });

  it('writes with flags: a quick rating, then a one-line visit', async () => {
    const rated = await runMcr(['rate', 'Priya Nair', 'supportive', '--json', '--as-of', '2026-11-24'], env);
    expect(rated.code).toBe(0);
    expect(JSON.parse(rated.stdout).attitude).toEqual({ score: 1, level: 'supportive', trend: 'up' });
    const visit = await runMcr(['visit', 'Acme', '--with', 'Priya Nair', '--summary', 'Pricing agreed', '--next', 'Send quote; alice@example.com; 2026-12-01', '--json', '--as-of', '2026-11-24'], env);
    expect(visit.stderr).toBe('');
    expect(JSON.parse(visit.stdout).activity).toMatchObject({ date: '2026-11-24', type: 'visit', nextSteps: 1 });
  });

  it('exit 1 with the message on stderr for a user error, 2 for usage', async () => {
    const unknown = await runMcr(['brief', 'Nowhere Inc'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No account matches “Nowhere Inc”');
    expect(unknown.stdout).toBe('');
    // A value of the wrong type is a usage error (issue 15), found before anything is read.
    const bad = await runMcr(['visit', 'Acme', '--date', '2026-02-30'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--date: “2026-02-30” is not valid; it takes a date as YYYY-MM-DD.');
    const future = await runMcr(['visit', 'Acme', '--with', 'Priya Nair', '--date', '2099-01-01'], env);
    expect(future.code).toBe(1);
    expect(future.stderr).toContain('Date: cannot be in the future');
    expect((await runMcr([], env)).code).toBe(2);
    expect((await runMcr(['frobnicate'], env)).code).toBe(2);
    expect((await runMcr(['tier', '--as-of', 'yesterday'], env)).code).toBe(2);
  });

  it('a malformed setting stops it with one line naming the variable', async () => {
    const result = await runMcr(['tier'], { ...env, MCR_TIMEZONE: 'Mars/Olympus' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('MCR_TIMEZONE: must be an IANA time zone such as Asia/Shanghai');
  });

  it('acts as MCR_OPERATOR when set (created on first use), else as the OS user, whom the demo made a member', async () => {
    // The OS user loaded the demo and so owns its contacts (third owner): home lists its accounts.
    const home = await runMcr(['home'], env);
    expect(home.stderr).toBe('');
    for (const name of ['Acme Telecom', '华信银行', 'Northwind Logistics', '青山制造']) expect(home.stdout).toContain(name);
    const asAlice = await runMcr(['remind', 'off'], { ...env, MCR_OPERATOR: 'Alice@Example.com' });
    expect(asAlice).toMatchObject({ code: 0, stderr: '' });
    const newcomer = await runMcr(['remind', 'off'], { ...env, MCR_OPERATOR: 'nora.new@example.com' });
    expect(newcomer).toMatchObject({ code: 0, stderr: '' });
    const audit = await runMcr(['audit', '--json'], env);
    const entries = JSON.parse(audit.stdout).entries as Array<{ actor: string; action: string; text: string }>;
    expect(entries.slice(-2).map((e) => e.text)).toEqual(['Alice Chen turned their morning reminders off', 'nora.new turned their morning reminders off']);
    const bad = await runMcr(['home'], { ...env, MCR_OPERATOR: 'alice' });
    expect(bad).toMatchObject({ code: 1, stderr: 'MCR_OPERATOR: must be an email, such as alice@example.com\n' });
  });
});

describe('import, export and backup from the command line', () => {
  let dir: string;
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await testDatabase();
    ({ dir, cleanup: drop } = database);
    env = { DATABASE_URL: database.url };
  });
  afterAll(async () => drop());

  it('imports, says so again as a no-op, exports and backs up', async () => {
    const { writeFileSync } = await import('node:fs');
    const accounts = join(dir, 'accounts.csv');
    writeFileSync(accounts, '\ufeffname,tier,industry\n"Acme, Inc.",strategic,Telecom\n青山制造,general,"制造\n汽车零部件"\n');
    const first = await runMcr(['import', 'accounts', accounts], env);
    expect(first).toMatchObject({ code: 0, stdout: 'accounts: 2 created, 0 updated, 0 unchanged.\n' });
    const again = await runMcr(['import', 'accounts', accounts, '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ kind: 'accounts', rows: 2, counts: { created: 0, updated: 0, unchanged: 2 } });
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'name,tier\nNorthwind,platinum\n');
    const refused = await runMcr(['import', 'accounts', bad], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nothing was written');
    expect(refused.stderr).toContain('line 2, column tier: "platinum" is not one of strategic, partner, priority, general');
    const out = join(dir, 'out');
    expect((await runMcr(['export', out], env)).stdout).toBe(`Exported to ${out}: accounts 2, contacts 0, activities 0, ratings 0.\n`);
    const backup = await runMcr(['backup', join(dir, 'copy.sqlite')], env);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up to .*copy\.sqlite \((\d+ pages|pg_dump, \d+ bytes)\)\.\n$/);
    expect((await runMcr(['backup', join(dir, 'copy.sqlite')], env))).toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });
    // Recorded once, for forget to name it (a refused backup is not).
    const db = createDb(env.DATABASE_URL!);
    try {
      expect(await db.selectFrom('backups').select(['file', 'engine']).execute()).toEqual([{ file: join(dir, 'copy.sqlite'), engine: TEST_ENGINE }]);
    } finally {
      await db.destroy();
    }
    expect((await runMcr(['import', 'widgets', accounts], env)).code).toBe(2);
  });

  it('import names a bad header once, its line once (not "line 1line 1"), and a contacts file given as accounts as such, writing nothing', async () => {
    const { writeFileSync } = await import('node:fs');
    const accountColumns = 'name, tier, industry, region, contribution, credit, potential, account_manager, solution_manager, delivery_manager, sponsor';
    const header = join(dir, 'header.csv');
    writeFileSync(header, 'name,colour\nNorthwind,red\n');
    expect(await runMcr(['import', 'accounts', header], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: `import: ${header} was not imported; nothing was written.\nline 1, column colour: unknown column (expected: ${accountColumns})\n`,
    });
    const contacts = join(dir, 'contacts.csv');
    const rows = Array.from({ length: 13 }, (_, i) => `Acme,Person ${i},CTO,Sales,A,user,,,,,3,01-02,no,`);
    writeFileSync(contacts, `account,name,title,department,position,role,owner_a,owner_b,owner_c,style,need_level,birthday,rising_star,notes\n${rows.join('\n')}\n`);
    expect(await runMcr(['import', 'accounts', contacts], env)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `import: ${contacts} was not imported; nothing was written.\n` +
        'line 1: this looks like a contacts file: columns account, title, department, position, role, owner_a, owner_b, owner_c, style, need_level, birthday, rising_star, notes ' +
        `are not account columns (import it as contacts; accounts take: ${accountColumns})\n`,
    });
    const db = createDb(env.DATABASE_URL!);
    try {
      expect(await db.selectFrom('accounts').select('name').where('name', 'in', ['Northwind', 'Acme']).execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('import refuses a name with NUL by its line, and does not replay a cell\'s escape sequence on the terminal', async () => {
    const { writeFileSync } = await import('node:fs');
    const bad = join(dir, 'hostile.csv');
    writeFileSync(bad, 'name,tier\nNorth\u0000wind,general\nSouth,\x1b]0;owned\x07platinum\x1b[0m\n');
    const hostile = await runMcr(['import', 'accounts', bad], env);
    expect(hostile.code).toBe(1);
    expect(hostile.stderr).toContain('line 2, column name: holds a control or invisible character (U+0000), which a name cannot');
    expect(hostile.stderr).toContain('line 3, column tier: "platinum" is not one of');
    expect(hostile.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('import --as-of stamps what it creates with that date', async () => {
    const file = join(dir, 'accounts-as-of.csv');
    writeFileSync(file, 'name,tier\nGlobex Energy,priority\n');
    const imported = await runMcr(['import', 'accounts', file, '--as-of', '2026-01-15'], env);
    expect(imported.code).toBe(0);
    const tier = JSON.parse((await runMcr(['tier', 'Globex', '--json', '--as-of', '2026-11-24'], env)).stdout);
    // Set on 2026-01-15, so its review (180 days, §1) has fallen due by 2026-11-24.
    expect(tier).toMatchObject({ tierSince: '2026-01-15', tierReviewDue: true });
  });
});
