import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { runLine } from '../../src/core/dispatch.ts';
import { createDb, migrateToLatest, sqlitePath } from '../../src/db/create-db.ts';
import { startBot } from '../../src/main.ts';
import { actor, memoryLogger } from '../helpers/context.ts';
import { TEST_ENGINE, testDatabase } from '../helpers/engine.ts';
import { FakeSlack, SIGNING_SECRET } from '../helpers/fake-slack.ts';
import { sampleValue } from '../helpers/prometheus.ts';

const TOKEN = 'metrics-token-0123456789';

/**
 * The bot's scheduler on a thread of its own (issue 19 part 2): the real bot, a real
 * database, a digest due at start-up, the fake Slack recording what was posted.
 */
describe('the scheduler on its own thread', () => {
  let fake: FakeSlack;
  let database: Awaited<ReturnType<typeof testDatabase>>;

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    database = await testDatabase();
    const db = createDb(database.url);
    try {
      await migrateToLatest(db);
      const op = await actor(db);
      await op.run('account add "Acme Telecom" --tier strategic');
      // Due since midnight UTC today, and subscribed long before it: the start-up catch-up sends it.
      expect((await runLine({ ...op.ctx, channel: { platform: 'slack', id: 'C1DIGEST' } }, 'digest subscribe daily 00:00 UTC')).status).toBe('ok');
      await db.updateTable('digest_subscriptions').set({ created_at: '2026-01-01T00:00:00.000Z' }).execute();
    } finally {
      await db.destroy();
    }
  });
  afterAll(async () => {
    await fake.stop();
    await database.cleanup();
  });

  it('sends the digest due once, its log lines, metrics and database pool reaching the bot\'s one logger and /metrics, and stops with the bot', async () => {
    const log = memoryLogger();
    const config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`, METRICS_TOKEN: TOKEN });
    const bot = await startBot({ ...config, port: 0 }, log);
    // SQLite writes the database file only when it checkpoints; a digest's few pages of log would not make SQLite's own.
    const fileWritten = () => statSync(sqlitePath(database.url)).mtimeMs;
    const startedWith = TEST_ENGINE === 'sqlite' ? fileWritten() : undefined;
    try {
      const [post] = await fake.waitFor('chat.postMessage', 1, 30_000);
      expect(post!.body.channel).toBe('C1DIGEST');
      expect(String(post!.body.text)).toMatch(/Daily digest/);
      await expect.poll(() => log.lines.find((l) => l.msg === 'scheduled sends'), { timeout: 10_000 }).toMatchObject({ thread: 'scheduler', sent: [expect.stringMatching(/^digest:\d+:/)] });
      const metrics = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
      expect(sampleValue(metrics, 'mcr_deliveries_total', { kind: 'digest', outcome: 'sent' })).toBe(1);
      // Each thread's own database pool (the scheduler's holds at most 2 PostgreSQL connections; SQLite is one a thread).
      const poolMax = (thread: string) => sampleValue(metrics, 'mcr_db_pool_max_connections', { engine: TEST_ENGINE, thread });
      expect([poolMax('main'), poolMax('slack-1'), poolMax('scheduler')]).toEqual(TEST_ENGINE === 'sqlite' ? [1, 1, 1] : [10, 10, 2]);
      // The digest's writes reach the file while the bot runs: the thread checkpoints the log (db/wal-checkpoints.ts).
      if (startedWith !== undefined) await expect.poll(fileWritten, { timeout: 10_000 }).toBeGreaterThan(startedWith);
    } finally {
      await bot.stop();
    }
    // A second bot on the same database finds it sent: the claim is in the database, not in a thread.
    const again = await startBot({ ...config, port: 0 }, memoryLogger());
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await again.stop();
    expect(fake.of('chat.postMessage')).toHaveLength(1);
  }, 60_000);
});
