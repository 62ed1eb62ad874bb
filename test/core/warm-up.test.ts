import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { loadConfig } from '../../src/config.ts';
import { createDispatcher } from '../../src/core/dispatch.ts';
import type { Reply } from '../../src/core/reply.ts';
import { warmUp } from '../../src/core/warm-up.ts';
import { createLogger } from '../../src/log.ts';
import { startBot } from '../../src/main.ts';
import { ensureLocalPerson } from '../../src/db/person.repository.ts';
import { loadDemo } from '../../src/demo/sample.ts';
import { tempDb } from '../helpers/db.ts';

/** Issue 19 part 3: the first request is not the one that pays for a cold process. */
describe('warm-up before ready', () => {
  let database: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    database = await tempDb();
    const actor = await ensureLocalPerson(database.db, 'alice', new Date());
    await loadDemo(database.db, actor.id, '2026-11-24', new Date());
  });
  afterAll(() => database.cleanup());

  it('runs brief and tier on the first account in both languages, renders them, and writes nothing', async () => {
    const config = loadConfig({ DATABASE_URL: database.url });
    const deps = { db: database.db, config, log: createLogger('error'), commands: createDispatcher(commands) };
    const count = async (table: 'people' | 'audit_log') => Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = [await count('people'), await count('audit_log')];
    const rendered: Array<{ locale: string; reply: Reply }> = [];
    await warmUp(deps, [(ctx, reply) => rendered.push({ locale: ctx.locale, reply })]);
    expect(rendered.map((r) => [r.locale, r.reply.status])).toEqual([['en', 'ok'], ['en', 'ok'], ['zh-CN', 'ok'], ['zh-CN', 'ok']]);
    expect(JSON.stringify(rendered[0]!.reply)).toContain('Acme Telecom');
    expect([await count('people'), await count('audit_log')]).toEqual(before);
  });

  it('/readyz says "starting" (503) until the warm-up is done, then 200', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: 'http://127.0.0.1:9/api/' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let warming = false;
    const starting = startBot({ ...config, port }, createLogger('error'), {
      scheduler: false,
      // Slack answered on this thread, which then warms itself.
      slackThread: false,
      warmUp: async (deps, render) => {
        warming = true;
        await held;
        await warmUp(deps, render);
      },
    });
    const readyz = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      return { status: response.status, body: (await response.json()) as { checks: { lifecycle: string } } };
    };
    while (!warming) await new Promise((resolve) => setTimeout(resolve, 10));
    const during = await readyz();
    expect(during.status).toBe(503);
    expect(during.body.checks.lifecycle).toBe('starting');
    release();
    const bot = await starting;
    try {
      const after = await readyz();
      expect(after.status).toBe(200);
      expect(after.body.checks.lifecycle).toBe('running');
    } finally {
      await bot.stop();
    }
  });

  it("is left to Slack's answers threads when only they answer: the main thread does not warm up too", async () => {
    const config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: 'http://127.0.0.1:9/api/' });
    let warmed = false;
    const bot = await startBot({ ...config, port: 0 }, createLogger('error'), {
      scheduler: false,
      warmUp: async () => {
        warmed = true;
      },
    });
    try {
      expect((await fetch(`http://127.0.0.1:${bot.port}/readyz`)).status).toBe(200);
      expect(warmed).toBe(false);
    } finally {
      await bot.stop();
    }
  });
});
