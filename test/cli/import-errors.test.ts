import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importProblemMessage, ImportError } from '../../src/csv/import-csv.ts';
import { translate } from '../../src/core/errors.ts';
import { en, t, type MessageKey } from '../../src/i18n/index.ts';
import { testDatabase } from '../helpers/engine.ts';
import { runMcr, unwrapped } from '../helpers/process.ts';

const PROBLEM_KEYS = (Object.keys(en) as MessageKey[]).filter((key) => key.startsWith('import.problem.'));
const HAN = /\p{Script=Han}/u;

describe('import problems in the operator\'s language', () => {
  it('a problem is a code and values, put into words once where it is shown, in either language', () => {
    expect(PROBLEM_KEYS.length).toBeGreaterThan(20);
    for (const code of PROBLEM_KEYS) {
      const values = Object.fromEntries([...en[code].matchAll(/\{(\w+)\}/g)].map((m, i) => [m[1]!, `v${i}`]));
      const cell = new ImportError([{ line: 7, column: 'tier', reason: { code, values } }]);
      expect(cell.lines('zh-CN'), code).toEqual([t('zh-CN', 'import.at_cell', { line: 7, column: 'tier', reason: t('zh-CN', code, values) })]);
      expect(cell.lines('en'), code).toEqual([t('en', 'import.at_cell', { line: 7, column: 'tier', reason: t('en', code, values) })]);
      // Every placeholder filled: none left as {name} in either language.
      for (const locale of ['en', 'zh-CN'] as const) expect(cell.lines(locale)[0], code).not.toMatch(/\{\w+\}/);
    }
  });

  it('several columns, a blank column name and a whole line are each said where they are', () => {
    const error = new ImportError([
      { line: 1, columns: ['colour', ''], reason: { code: 'import.problem.unknown_columns', values: { known: 'name, tier' } } },
      { line: 1, column: '', reason: { code: 'import.problem.twice' } },
      { line: 4, reason: { code: 'import.problem.after_quote' } },
    ]);
    expect(error.lines('en')).toEqual(['line 1, columns colour, (blank): unknown columns (expected: name, tier)', 'line 1, column (blank): appears twice', 'line 4: a quoted field goes on after its closing quote (write a " inside a field as "")']);
    expect(error.lines('zh-CN')).toEqual(['第 1 行，colour, （空白） 列：未知的列（应为：name, tier）', '第 1 行，（空白） 列：出现了两次', '第 4 行：带引号的字段在结束引号之后还有内容（字段中的 " 号应写作 ""）']);
    // The error's own message (a log line) is the English one.
    expect(error.message).toBe(error.lines('en').join('\n'));
    expect(translate('zh-CN', importProblemMessage(error.problems[2]!))).toBe(error.lines('zh-CN')[2]);
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

  it('a file of another kind, a bad quote and a second owner who is the first, in Chinese', async () => {
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'account,name,title\nAcme,Ann,CTO\n');
    const zh = await runMcr(['import', 'accounts', other, '--lang', 'zh-CN'], env);
    expect(zh.code).toBe(1);
    expect(unwrapped(zh.stderr)).toContain(unwrapped('第 1 行：这看起来是 contacts 文件：account, title 列不是 accounts 的列（请按 contacts 导入；accounts 的列为：name, tier,'));
    const quoted = join(dir, 'quoted.csv');
    writeFileSync(quoted, 'name,tier\n"Acme"x,general\n');
    const bad = await runMcr(['import', 'accounts', quoted, '--lang', 'zh-CN'], env);
    expect(unwrapped(bad.stderr)).toContain(unwrapped('第 2 行：带引号的字段在结束引号之后还有内容（字段中的 " 号应写作 ""）'));
    const contacts = join(dir, 'owners.csv');
    writeFileSync(contacts, 'account,name,owner_a,owner_b\nNowhere,Tom,a@example.com,A@example.com\n');
    const owners = await runMcr(['import', 'contacts', contacts, '--lang', 'zh-CN'], env);
    expect(unwrapped(owners.stderr)).toMatch(/第2行，(account列：没有名为“Nowhere”的客户|owner_b列：与owner_a是同一人)/);
    // Three processes: more than one test's time on a busy machine.
  }, 120_000);

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
