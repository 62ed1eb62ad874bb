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
    expect(result.stdout.trim().endsWith('Bye.')).toBe(true);
  });

  it('answers in Chinese with --lang zh-CN and runs a button by its number', async () => {
    const result = await runMcr(['console', '--lang', 'zh-CN'], env, 'tier 华信\n1\nexit\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('华信银行 · 伙伴客户');
    // [1] is the first button of the tier status: the brief.
    expect(result.stdout).toContain('决策链');
  });

  it('cancels a form without saving', async () => {
    const before = await runMcr(['brief', 'Northwind', '--json'], env);
    const result = await runMcr(['console'], env, 'visit Northwind\ncancel\nexit\n');
    expect(result.stdout).toContain('Cancelled; nothing was saved.');
    const after = await runMcr(['brief', 'Northwind', '--json'], env);
    expect(JSON.parse(after.stdout).recentActivities).toEqual(JSON.parse(before.stdout).recentActivities);
  });
});
