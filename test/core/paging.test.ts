import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs, tokenize } from '../../src/core/args.ts';
import { InputError } from '../../src/core/errors.ts';
import { DEFAULT_LIMIT, pageOf } from '../../src/core/paging.ts';
import type { Reply } from '../../src/core/reply.ts';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

const args = (line: string) => parseArgs(tokenize(line));
const numbers = Array.from({ length: 45 }, (_, i) => i + 1);

describe('pageOf', () => {
  it('pages a list by --limit and --page, saying where the reader is and how to go on', () => {
    const first = pageOf('en', args(''), numbers);
    expect(first.items).toEqual(numbers.slice(0, DEFAULT_LIMIT));
    expect(first.footer).toEqual([{ type: 'text', tone: 'muted', text: 'Page 1 of 3, --page 2 for more.' }]);
    const second = pageOf('en', args('--limit 10 --page 2'), numbers);
    expect(second).toMatchObject({ items: numbers.slice(10, 20), page: 2, pages: 5 });
    const last = pageOf('zh-CN', args('--limit 10 --page 5'), numbers);
    expect(last.items).toEqual([41, 42, 43, 44, 45]);
    expect(last.footer).toEqual([{ type: 'text', tone: 'muted', text: '第 5 页，共 5 页。' }]);
    expect(pageOf('zh-CN', args('--limit 10'), numbers).footer[0]).toMatchObject({ text: '第 1 页，共 5 页；用 --page 2 查看更多。' });
  });

  it('one page says nothing; from the end, page 1 is the newest rows, still in order', () => {
    expect(pageOf('en', args('--limit 50'), numbers).footer).toEqual([]);
    expect(pageOf('en', args('--limit 10'), numbers, { fromEnd: true }).items).toEqual([36, 37, 38, 39, 40, 41, 42, 43, 44, 45]);
    expect(pageOf('en', args('--limit 10 --page 5'), numbers, { fromEnd: true }).items).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a limit or page that is not a whole number of 1 or more, or a page past the last, naming the flag', () => {
    const refusal = (line: string) => {
      try {
        pageOf('en', args(line), numbers);
      } catch (error) {
        return (error as InputError).messages('en');
      }
      throw new Error(`${line} was accepted`);
    };
    expect(refusal('--limit 0')).toEqual({ limit: '--limit: must be a whole number, 1 or more' });
    expect(refusal('--limit ten')).toEqual({ limit: '--limit: must be a whole number, 1 or more' });
    expect(refusal('--page 1.5')).toEqual({ page: '--page: must be a whole number, 1 or more' });
    expect(refusal('--page')).toEqual({ page: '--page: must be a whole number, 1 or more' });
    expect(refusal('--limit 10 --page 6')).toEqual({ page: '--page: there are only 5 pages' });
  });
});

describe('long lists in pages', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  const tableRows = (reply: Reply) => reply.blocks.flatMap((b) => (b.type === 'table' ? b.rows : []));

  it('tier lists every account a page at a time; --json keeps them all', async () => {
    const admin = await actor(t.db);
    for (let i = 1; i <= 25; i++) expect((await admin.run(`account add "Account ${String(i).padStart(2, '0')}" --tier general`)).status).toBe('ok');
    const first = await admin.run('tier');
    expect(tableRows(first).map((r) => r[0])).toEqual(Array.from({ length: 20 }, (_, i) => `Account ${String(i + 1).padStart(2, '0')}`));
    expect(replyText(first)).toContain('Page 1 of 2, --page 2 for more.');
    expect((first.data as { accounts: unknown[] }).accounts).toHaveLength(25);
    const second = await admin.run('tier --page 2');
    expect(tableRows(second).map((r) => r[0])).toEqual(['Account 21', 'Account 22', 'Account 23', 'Account 24', 'Account 25']);
    expect(replyText(second)).toContain('Page 2 of 2.');
    expect(tableRows(await admin.run('tier --limit 5 --page 3')).map((r) => r[0])).toEqual(['Account 11', 'Account 12', 'Account 13', 'Account 14', 'Account 15']);
    const beyond = await admin.run('tier --page 3');
    expect(beyond.status).toBe('error');
    expect(replyText(beyond)).toContain('--page: there are only 2 pages');
  });

  it('audit shows the newest entries first page, older ones on the next', async () => {
    const admin = await actor(t.db, { as: 'alice@example.com', admin: true });
    for (let i = 1; i <= 7; i++) expect((await admin.run(`account add "Audit ${i}" --tier general`)).status).toBe('ok');
    const newest = await admin.run('audit --limit 3');
    expect(tableRows(newest).map((r) => r[1])).toEqual(['alice added the account Audit 5 (General)', 'alice added the account Audit 6 (General)', 'alice added the account Audit 7 (General)']);
    expect(replyText(newest)).toContain('Page 1 of 3, --page 2 for more.');
    expect(tableRows(await admin.run('audit --limit 3 --page 3')).map((r) => r[1])).toEqual(['alice added the account Audit 1 (General)']);
    expect((newest.data as { entries: unknown[] }).entries).toHaveLength(7);
  });
});
