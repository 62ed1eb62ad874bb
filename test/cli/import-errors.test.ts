import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateImportProblem } from '../../src/cli/import-errors.ts';
import { en, t, type MessageKey } from '../../src/i18n/index.ts';
import { testDatabase } from '../helpers/engine.ts';
import { runMcr } from '../helpers/process.ts';

const PROBLEM_KEYS = (Object.keys(en) as MessageKey[]).filter((key) => key.startsWith('import.problem.'));
const HAN = /\p{Script=Han}/u;

describe('import problems in the operator\'s language', () => {
  it('every problem the importer words in English is rebuilt in Chinese from the same values', () => {
    expect(PROBLEM_KEYS.length).toBeGreaterThan(15);
    for (const key of PROBLEM_KEYS) {
      const vars = Object.fromEntries([...en[key].matchAll(/\{(\w+)\}/g)].map((m, i) => [m[1]!, `值${i}: "x"`]));
      const reason = t('en', key, vars);
      expect(translateImportProblem('zh-CN', `line 7, column tier: ${reason}`), key).toBe(t('zh-CN', 'import.at_cell', { line: 7, column: 'tier', reason: t('zh-CN', key, vars) }));
      expect(translateImportProblem('zh-CN', `line 1: ${reason}`), key).toBe(t('zh-CN', 'import.at_line', { line: 1, reason: t('zh-CN', key, vars) }));
      expect(translateImportProblem('en', `line 1: ${reason}`)).toBe(`line 1: ${reason}`);
    }
  });

  it('a line it does not know is shown as it is, not dropped', () => {
    expect(translateImportProblem('zh-CN', 'line 4: Invalid Record Length')).toBe('line 4: Invalid Record Length');
    expect(translateImportProblem('zh-CN', 'something else')).toBe('something else');
  });
});

describe('mcr import --lang zh-CN, as a real process', () => {
  let dir: string;
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await testDatabase();
    drop = database.cleanup;
    dir = mkdtempSync(join(tmpdir(), 'mcr-import-zh-'));
    env = { DATABASE_URL: database.url, MCR_OPERATOR: 'operator@example.com' };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await drop();
  });

  it('says in Chinese why each bad row was refused, and that nothing was written', async () => {
    const file = join(dir, 'accounts.csv');
    writeFileSync(file, ['name,tier,contribution,account_manager', 'Acme,gold,3,', ',general,3,', 'Acme,general,3,', 'Acme,general,3,', 'Beta,general,3,,extra', 'Gamma,general,3,nobody', 'Delta,general,9,', ''].join('\n'));
    const result = await runMcr(['import', 'accounts', file, '--lang', 'zh-CN'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe(`import：${file} 未导入，没有写入任何内容。`);
    expect(lines.slice(1)).toEqual([
      '第 2 行，tier 列：“gold”不是以下之一：strategic, partner, priority, general',
      '第 3 行，name 列：必填',
      '第 5 行，name 列：文件前面已有相同的一行',
      '第 6 行：应有 4 个字段，实际有 5 个',
      '第 7 行，account_manager 列：“nobody”不是已知的人员（请用邮箱或 Slack/Teams 用户 id）',
      '第 8 行，contribution 列：“9”不是 1 到 5 之间的整数',
    ]);
    // Every problem in Chinese: no reason left in English.
    for (const line of lines.slice(1)) expect(line, line).toMatch(/^第 \d+ 行(，.+ 列)?：/);
    for (const line of lines.slice(1)) expect(line.replace(/“[^”]*”|[\w.,:;()\- /|—…−]+/g, '')).toMatch(HAN);
  });

  it('a header that names an unknown column, and an English run left as it was', async () => {
    const file = join(dir, 'contacts.csv');
    writeFileSync(file, 'name,acount\nTom,Acme\n');
    const zh = await runMcr(['import', 'contacts', file, '--lang', 'zh-CN'], env);
    expect(zh.code).toBe(1);
    expect(zh.stderr).toMatch(/第 1 行，acount 列：未知的列（应为：.*）/);
    expect(zh.stderr).toMatch(/第 1 行，account 列：缺少此列/);
    const english = await runMcr(['import', 'contacts', file], env);
    expect(english.stderr).toMatch(/^import: .* was not imported; nothing was written\.\nline 1.*, column acount: unknown column \(expected: /);
  });

  it('the summary of a good file in Chinese; no progress bar on a pipe', async () => {
    const file = join(dir, 'good.csv');
    writeFileSync(file, 'name,tier\n华信银行 🏦,partner\n');
    const result = await runMcr(['import', 'accounts', file, '--lang', 'zh-CN'], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('accounts：新增 1 行，更新 0 行，0 行未变。\n');
    const missing = await runMcr(['import', 'accounts', join(dir, 'nowhere.csv'), '--lang', 'zh-CN'], env);
    expect(missing.stderr).toBe(`import：${join(dir, 'nowhere.csv')}：没有这个文件\n`);
  });
});
