import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../helpers/engine.ts';
import { runMcr, unwrapped } from '../helpers/process.ts';

/** §11 `mcr dept` as a real process: one-line flags, --json with its snake_case names, exit 1 on bad input. */
describe('mcr dept', () => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await testDatabase();
    drop = database.cleanup;
    env = { DATABASE_URL: database.url, MCR_TIMEZONE: 'Asia/Shanghai', MCR_OPERATOR: 'operator@example.com' };
    for (const line of [
      ['account', 'add', '华信银行'],
      ['contact', 'add', '李娜', '--account', '华信', '--department', '运维部'],
      ['visit', '华信', '--with', '李娜', '--summary', '巡检', '--as-of', '2026-11-20'],
    ]) {
      const result = await runMcr(line, env);
      expect(result.stderr, line.join(' ')).toBe('');
    }
  });
  afterAll(async () => drop());

  it('records with flags and answers --json as of a date', async () => {
    const set = await runMcr(['dept', 'set', '华信银行', '运维部', '--target', '4', '--support', 'friction', '--channel-open', 'yes', '--incident', 'yes', '--as-of', '2026-11-24'], env);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    const shown = await runMcr(['dept', '华信', '--json', '--as-of', '2026-11-24'], env);
    expect(shown.code).toBe(0);
    const data = JSON.parse(shown.stdout);
    expect(Object.keys(data)).toEqual(['account', 'weighting', 'period_start', 'period_end', 'departments']);
    // process 1/4 = 25; result 0 + 30 + 0 = 30; combined 0.3·25 + 0.7·30 = 7.5 + 21 = 28.5 → 29
    expect(data.departments).toEqual([
      { name: '运维部', recorded: true, contacts: 1, activities: 1, target: 4, process: 25, result: 30, combined: 29, support: 'friction', channel_open: true, incident_spread: true, missing: [] },
    ]);
    // 90 days later the visit has left the period: process 0, combined 0.7·30 = 21.
    const later = JSON.parse((await runMcr(['dept', '华信', '--json', '--as-of', '2027-02-18'], env)).stdout);
    expect(later.departments[0]).toMatchObject({ activities: 0, process: 0, combined: 21 });
  });

  it('exits 1 naming the field, 2 for a value of the wrong type (in Chinese too), and writes nothing', async () => {
    const bad = await runMcr(['dept', 'set', '华信', '采购部', '--target', '-3'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Target activities: must be at least 1');
    const zh = await runMcr(['dept', 'set', '华信', '采购部', '--support', 'great', '--lang', 'zh-CN'], env);
    expect(zh.code).toBe(2);
    expect(unwrapped(zh.stderr)).toContain('--support：“great”无效');
    const shown = JSON.parse((await runMcr(['dept', '华信', '--json'], env)).stdout);
    expect(shown.departments.map((d: { name: string }) => d.name)).toEqual(['运维部']);
  });
});
