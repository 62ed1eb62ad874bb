import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importProgress } from '../../src/cli/progress.ts';
import { importCsv } from '../../src/csv/import-csv.ts';
import { forTerminal } from '../../src/console/render-text.ts';
import { tempDb } from '../helpers/db.ts';

/** A stream that says it is a terminal of `columns` columns and keeps what is drawn on it. */
function fakeTty(columns = 80) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { isTTY: true, columns, text: () => chunks.join('') });
}

/** Each redraw's text (a cursor move or a new line starts the next), the last one last. */
// eslint-disable-next-line no-control-regex
const frames = (text: string) => forTerminal(text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\r/g, '\n')).split('\n').map((line) => line.trim()).filter(Boolean);
/** The bar redraws on a timer (a few times a second), as a terminal needs. */
const redrawn = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('the import progress bar', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcr-progress-'));
    file = join(dir, 'accounts.csv');
    writeFileSync(file, `name,tier\n${Array.from({ length: 100 }, (_, i) => `Account ${i},general`).join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows what it loads, rows done of the total, the rate and the time left', async () => {
    const tty = fakeTty();
    let clock = 0;
    const bar = (await importProgress(tty, 'accounts', file, 'en', () => clock))!;
    clock = 2000;
    bar.onProgress(0.5, 50);
    await redrawn();
    clock = 4000;
    bar.onProgress(1, 100);
    bar.stop();
    const shown = frames(tty.text());
    expect(shown.some((line) => /^Importing accounts from accounts\.csv .* 50\/100 rows · 25 rows\/s · \S+ left$/.test(line)), shown.join('\n')).toBe(true);
    expect(shown.at(-1)).toMatch(/^Importing accounts from accounts\.csv .* 100\/100 rows · 25 rows\/s · 0s left$/);
    // The bar ends its line, so what is printed next starts on a fresh one.
    expect(tty.text().endsWith('\n')).toBe(true);
  });

  it('speaks the operator\'s language', async () => {
    const tty = fakeTty();
    let clock = 0;
    const bar = (await importProgress(tty, 'accounts', file, 'zh-CN', () => clock))!;
    clock = 1000;
    bar.onProgress(0.2, 20);
    bar.stop();
    expect(frames(tty.text()).at(-1)).toMatch(/^正在导入 accounts（accounts\.csv）.* 20\/20 行 · 每秒 20 行 · 剩余 0s$/);
  });

  it('draws nothing on a pipe or a file', async () => {
    const pipe = Object.assign(fakeTty(), { isTTY: false });
    expect(await importProgress(pipe, 'accounts', file, 'en')).toBeUndefined();
    expect(pipe.text()).toBe('');
  });

  it('follows a real import of the file to its last row', async () => {
    const t = await tempDb();
    try {
      const tty = fakeTty();
      const bar = (await importProgress(tty, 'accounts', file, 'en'))!;
      const result = await importCsv(t.db, 'accounts', file, { actorId: null, now: new Date('2026-11-24T10:00:00Z'), today: '2026-11-24', onProgress: bar.onProgress });
      bar.stop();
      expect(result.counts.created).toBe(100);
      expect(frames(tty.text()).at(-1)).toMatch(/ 100\/100 rows · [\d,]+ rows\/s · /);
    } finally {
      await t.cleanup();
    }
  });
});
