import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.ts';
import { zhCN } from '../../src/i18n/zh-CN.ts';
import { PassThrough } from 'node:stream';
import { runConsole } from '../../src/console/console.ts';
import { actor, commandIndex, memoryLogger, testConfig, type TestActor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';
import { punctuationSlips as slips } from '../helpers/punctuation.ts';

/** Command syntax quoted in Chinese sentences, which keeps its ASCII (the command line takes it as typed). */
const COMMAND_SYNTAX: Partial<Record<keyof typeof zhCN, string[]>> = {
  'visit.help.text': ['--with "联系人; 联系人"', '--next "事项; 负责人; YYYY-MM-DD"'],
  'digest.usage': ['--accounts "客户A, 客户B"'],
  'cli.usage': ['--next "事项；负责人；YYYY-MM-DD"'],
  // A repeatable flag's placeholder in `help`, before "（可重复）".
  'help.repeatable': ['"text; owner; YYYY-MM-DD"'],
  // The missing character itself, as it is typed in the file.
  'import.problem.quote_not_closed': ['" 号'],
  'import.problem.after_quote': ['" 号应写作 ""'],
};

/** Full-width punctuation in Chinese text (the scan: test/helpers/punctuation.ts). */
describe('full-width punctuation in Chinese', () => {
  it('the zh-CN catalog uses full-width punctuation in Chinese text', () => {
    const found = Object.entries(zhCN).flatMap(([key, text]) => slips(text, COMMAND_SYNTAX[key as keyof typeof zhCN]).map((s) => `${key}: …${s}…`));
    expect(found).toEqual([]);
  });

  it('the scan finds the slips it is meant to find', () => {
    expect(slips('客户经理: Alice')).toHaveLength(1);
    expect(slips('战略客户 (自 2025-10-20 起)')).toHaveLength(2);
    expect(slips('李娜, 陈晓')).toHaveLength(1);
    expect(slips('没有"Acme"这个客户')).toHaveLength(2);
    expect(slips('已保存。')).toEqual([]);
    expect(slips('用法：tier-set <account> <tier> <reason>')).toEqual([]);
    expect(slips('--with "联系人; 联系人"', ['--with "联系人; 联系人"'])).toEqual([]);
  });

  describe('in what the commands compose around translated words', () => {
    let t: Awaited<ReturnType<typeof tempDb>>;
    let zh: TestActor;
    beforeAll(async () => {
      t = await tempDb();
      zh = await actor(t.db, { locale: 'zh-CN' });
      expect((await zh.run('demo')).status).toBe('ok');
    }, 60_000);
    afterAll(async () => t.cleanup());

    /** Every piece of text a reply shows, one by one (not joined with ASCII, as replyText does). */
    const texts = (reply: Reply) =>
      [reply.title ?? '', ...reply.blocks.flatMap((b) => {
        switch (b.type) {
          case 'heading':
          case 'text':
            return [b.text];
          case 'fields':
            return b.fields.flatMap((f) => [f.label, f.value]);
          case 'list':
            return b.items;
          case 'table':
            return [...b.columns, ...b.rows.flat()];
          case 'actions':
            return b.actions.map((a) => a.label);
        }
      })];

    const allowed = Object.values(COMMAND_SYNTAX).flat();

    it('the console\'s questions, as a form is filled in', async () => {
      const input = new PassThrough();
      const output = new PassThrough();
      let text = '';
      output.on('data', (d: Buffer) => (text += d.toString()));
      input.end(['visit 华信', '', '', '1', '', '', '', '', '', '', 'cancel', 'exit', ''].join('\n'));
      await runConsole({ db: t.db, config: testConfig(), log: memoryLogger(), commands: commandIndex }, { input, output }, { locale: 'zh-CN' });
      expect(text).toContain('纪要（可选，回车跳过）：');
      expect(text).toContain('下一步 1（回车结束）：');
      // The welcome line names the database's address, which is not ours to punctuate.
      expect(text.split('\n').slice(1).flatMap((line) => slips(line, allowed))).toEqual([]);
    });
    for (const line of ['home', 'brief Acme', 'brief 华信', 'brief 青山', 'tier', 'tier Acme', 'tier 华信', 'account show 华信银行', 'contact show 李娜', 'plan show 华信', 'help', 'help visit', 'visit help', 'digest preview', 'holiday list', 'audit', 'tier-set Acme platinum x', 'brief nowhere']) {
      it(line, async () => {
        const reply = await zh.run(line);
        expect(texts(reply).flatMap((text) => slips(text, allowed))).toEqual([]);
      });
    }
  });
});
