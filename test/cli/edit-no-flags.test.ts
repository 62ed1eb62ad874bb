import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../src/cli/main.ts';
import { createDb } from '../../src/db/create-db.ts';
import { testDatabase } from '../helpers/engine.ts';
import { unwrapped } from '../helpers/process.ts';

function stream() {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return Object.assign(out, { text: () => text });
}

/** `account edit X` / `contact edit Y` with no flag that changes a field: a usage error on the CLI, nothing written. */
describe('an edit with nothing to change, on the CLI (in process)', () => {
  let url: string;
  let drop: () => Promise<void>;
  const saved = { url: process.env.DATABASE_URL, operator: process.env.MCR_OPERATOR };
  beforeAll(async () => {
    const database = await testDatabase();
    drop = database.cleanup;
    url = database.url;
    process.env.DATABASE_URL = url;
    process.env.MCR_OPERATOR = 'operator@example.com';
  });
  afterAll(async () => {
    for (const [name, value] of [['DATABASE_URL', saved.url], ['MCR_OPERATOR', saved.operator]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await drop();
  });

  const run = async (argv: string[]) => {
    const stdout = stream();
    const stderr = stream();
    const code = await cli(argv, { stdout, stderr, stdin: new PassThrough() } as never);
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  const audits = async () => {
    const db = createDb(url);
    try {
      return (await db.selectFrom('audit_log').select('id').execute()).length;
    } finally {
      await db.destroy();
    }
  };

  it('account edit names the flags it takes, exits 2 and writes nothing; with a flag it saves', async () => {
    expect((await run(['migrate'])).code).toBe(0);
    expect((await run(['account', 'add', 'Acme', '--industry', 'Telecom'])).code).toBe(0);
    expect((await run(['contact', 'add', 'Tom', '--account', 'Acme', '--role', 'user'])).code).toBe(0);
    const before = await audits();
    const account = await run(['account', 'edit', 'Acme']);
    expect(account.code).toBe(2);
    expect(account.stdout).toBe('');
    expect(unwrapped(account.stderr)).toContain(unwrapped('Nothing to change: account edit changes the fields its flags give, at least one of --name, --tier, --industry, --region, --contribution, --credit, --potential, --account-manager,'));
    expect(account.stderr).not.toMatch(/updated/i);
    const zh = await run(['contact', 'edit', 'Tom', '--account', 'Acme', '--lang', 'zh-CN']);
    expect(zh.code).toBe(2);
    expect(unwrapped(zh.stderr)).toContain(unwrapped('没有要修改的内容：contact edit 只修改参数给出的字段，至少需要以下之一：--name, --title,'));
    expect(zh.stderr).not.toContain('--account,');
    expect(await audits()).toBe(before);
    // A flag that changes a field still saves at once.
    const edited = await run(['account', 'edit', 'Acme', '--potential', '5']);
    expect(edited.code).toBe(0);
    expect(await audits()).toBe(before + 1);
  });
});
