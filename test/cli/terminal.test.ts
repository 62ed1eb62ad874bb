import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../src/cli/main.ts';
import { testDatabase } from '../helpers/engine.ts';

/** A stream that keeps what is written; a terminal of `columns` columns when `columns` is given. */
function stream(columns?: number) {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return Object.assign(out, columns ? { isTTY: true, columns } : {}, { text: () => text });
}

describe('the CLI on a terminal and on a pipe (in process)', () => {
  let dir: string;
  let drop: () => Promise<void>;
  let saved: string | undefined;
  beforeAll(async () => {
    const database = await testDatabase();
    drop = database.cleanup;
    dir = mkdtempSync(join(tmpdir(), 'mcr-terminal-'));
    saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = database.url;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    rmSync(dir, { recursive: true, force: true });
    await drop();
  });

  const run = async (argv: string[], stdout = stream(), stderr = stream()) => {
    const code = await cli(argv, { stdout, stderr, stdin: new PassThrough() } as never);
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };

  it('import draws its bar on a terminal\'s stderr, and nothing on a pipe', async () => {
    const file = join(dir, 'accounts.csv');
    writeFileSync(file, `name,tier,industry\n${Array.from({ length: 30 }, (_, i) => `华信银行第 ${i} 分行 🏦,partner,银行与金融服务 Banking and financial services`).join('\n')}\n`);
    const tty = await run(['import', 'accounts', file], stream(), stream(80));
    expect(tty.code).toBe(0);
    expect(tty.stdout).toBe('accounts: 30 created, 0 updated, 0 unchanged.\n');
    expect(tty.stderr).toMatch(/Importing accounts from accounts\.csv .* 30\/30 rows · [\d,]+ rows\/s · \S+ left/);
    const piped = await run(['import', 'accounts', file]);
    expect(piped).toEqual({ code: 0, stdout: 'accounts: nothing changed (30 rows already in the database).\n', stderr: '' });
  });

  it('tables fit the terminal\'s width, or 80 columns on a pipe, and long lists come in pages', async () => {
    const widest = (text: string) => Math.max(...text.split('\n').map((line) => stringWidth(line)));
    const piped = await run(['tier', '--lang', 'zh-CN']);
    expect(piped.code).toBe(0);
    expect(widest(piped.stdout)).toBeLessThanOrEqual(80);
    expect(piped.stdout).toContain('第 1 页，共 2 页；用 --page 2 查看更多。');
    const narrow = await run(['tier', '--page', '2'], stream(40));
    expect(narrow.code).toBe(0);
    expect(widest(narrow.stdout)).toBeLessThanOrEqual(40);
    expect(narrow.stdout).toContain('Page 2 of 2.');
    const usage = await run([]);
    expect(usage.code).toBe(2);
    expect(widest(usage.stderr)).toBeLessThanOrEqual(80);
    const wrong = await run(['tier', '--page', '9']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--page: there are only 2 pages');
  });
});
