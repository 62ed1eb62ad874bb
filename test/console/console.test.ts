import { readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../helpers/engine.ts';
import { runMcr } from '../helpers/process.ts';

describe('the local console, driven through its standard input', () => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await testDatabase();
    drop = database.cleanup;
    env = { DATABASE_URL: database.url };
  });
  afterAll(async () => drop());

  it('loads the demo, asks the visit form field by field, re-asks a bad date, and saves', async () => {
    const input = [
      'demo',
      'visit acme',
      '', // date: today
      '2', // type: business / technical exchange
      'Tom', // contacts met, by name
      '', // attendees: me
      '', // stage
      '', // purpose
      'Migration plan agreed',
      '', // needs
      '', // objections
      'Send quote', 'alice@example.com', '2026-13-01',
      'Book lab visit', '', '',
      '', // no more next steps
      '2030-01-15', // the corrected due date
      'brief acme',
      'exit',
    ].join('\n');
    const result = await runMcr(['console'], env, `${input}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Demo loaded: 4 accounts');
    expect(result.stdout).toContain('Next step 1 · Due: is not a date (use YYYY-MM-DD)');
    expect(result.stdout).toContain('Business / technical exchange at Acme Telecom recorded');
    expect(result.stdout).toContain('Send quote — Alice Chen — 2030-01-15');
    expect(result.stdout).toMatch(/Open next steps[\s\S]*Send quote — Alice Chen — due 2030-01-15/);
    // The brief's power map (issue 18 part 1): drawn after the text, into a private file whose path is printed.
    const file = /Power map picture written to (\S+\.png)/.exec(result.stdout)?.[1];
    expect(file).toBeDefined();
    expect(file!.startsWith(tmpdir())).toBe(true);
    try {
      expect((await stat(file!)).mode & 0o777).toBe(0o600);
      expect(PNG.sync.read(await readFile(file!)).width).toBeGreaterThan(600);
    } finally {
      await rm(join(file!, '..'), { recursive: true, force: true });
    }
    expect(result.stdout.trim().endsWith('Bye.')).toBe(true);
  });

  it('answers in Chinese with --lang zh-CN and runs a button by its number', async () => {
    const result = await runMcr(['console', '--lang', 'zh-CN'], env, 'tier 华信\n1\nexit\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('华信银行 · 伙伴客户');
    // [1] is the first button of the tier status: the brief.
    expect(result.stdout).toContain('决策链');
  });

  it('refuses a name with a control character, strips them from free text, and prints no escape sequence', async () => {
    // The console asks for the refused name again: cancelled here.
    const input = ['account add "Evil\x1b]0;pwned\x07 Co" --tier general', 'cancel', 'account add "Clean Co" --tier general --industry "Tele\x00com\x1b[2J\u202E"', 'exit'].join('\n');
    const result = await runMcr(['console'], env, `${input}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Name: cannot hold control or invisible characters');
    expect(result.stdout).toContain('Clean Co');
    // Not even the echoed input carries the escape or a control character to the terminal.
    expect(result.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    const clean = await runMcr(['account', 'show', 'Clean Co', '--json'], env);
    expect(JSON.parse(clean.stdout).account.industry).toBe('Telecom[2J');
    expect((await runMcr(['account', 'show', 'Evil', '--json'], env)).code).toBe(1);
    const zh = await runMcr(['account', 'add', 'Bell\x07Co', '--tier', 'general', '--lang', 'zh-CN'], env);
    expect(zh.code).toBe(1);
    expect(zh.stderr).toContain('名称：不能包含控制字符或不可见字符');
  });

  it('cancels a form without saving', async () => {
    const before = await runMcr(['brief', 'Northwind', '--json'], env);
    const result = await runMcr(['console'], env, 'visit Northwind\ncancel\nexit\n');
    expect(result.stdout).toContain('Cancelled; nothing was saved.');
    const after = await runMcr(['brief', 'Northwind', '--json'], env);
    expect(JSON.parse(after.stdout).recentActivities).toEqual(JSON.parse(before.stdout).recentActivities);
  });

  it('acts as MCR_OPERATOR, whom the demo makes a member, so home shows something; without it, says how to set it', async () => {
    const database = await testDatabase();
    try {
      const own = { DATABASE_URL: database.url };
      const olga = await runMcr(['console'], { ...own, MCR_OPERATOR: 'olga@example.com' }, 'demo\nhome\nexit\n');
      expect(olga.code).toBe(0);
      expect(olga.stdout).not.toContain('MCR_OPERATOR');
      expect(olga.stdout).toMatch(/My accounts[\s\S]*Acme Telecom · Strategic[\s\S]*青山制造 · General/);
      // Someone else at the same console: the OS user, told once a session how to be themselves, a member of nothing.
      const os = await runMcr(['console'], own, 'home\nexit\n');
      expect(os.stdout.match(/set MCR_OPERATOR to your email/g)).toHaveLength(1);
      expect(os.stdout).not.toContain('Acme Telecom');
    } finally {
      await database.cleanup();
    }
  });
});
