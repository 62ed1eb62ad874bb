import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Context } from '../../src/core/command.ts';
import { runLine } from '../../src/core/dispatch.ts';
import { importCsv, ImportError } from '../../src/csv/import-csv.ts';
import { claimDelivery } from '../../src/db/delivery.repository.ts';
import { createDb, poolStats, type Db, type PoolStats } from '../../src/db/create-db.ts';
import { linkPlatformPerson } from '../../src/db/person.repository.ts';
import { createPrometheusMetrics, type Pools, type PrometheusMetrics } from '../../src/metrics/prometheus.ts';
import { sendDueDigests } from '../../src/scheduler/jobs/send-digests.ts';
import type { JobDeps } from '../../src/scheduler/jobs/job.ts';
import { createSlackPoster } from '../../src/slack/post.ts';
import { commandIndex, actor, memoryLogger, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';
import { TEST_ENGINE } from '../helpers/engine.ts';
import { FakeSlack } from '../helpers/fake-slack.ts';
import { sampleValue } from '../helpers/prometheus.ts';

/** Monday 2026-11-23 09:00 in Shanghai. */
const MONDAY_9 = new Date('2026-11-23T01:00:00Z');
const at = (minutes: number) => new Date(MONDAY_9.getTime() + minutes * 60_000);

describe('what the scheduler, the import and the database report to /metrics (issue 17)', () => {
  let slack: FakeSlack;
  let t: Awaited<ReturnType<typeof tempDb>>;
  let config: Config;
  let prometheus: PrometheusMetrics;
  let admin: Context;
  const deps = (instance: string): JobDeps => ({ db: t.db, config, log: memoryLogger(), commands: commandIndex, metrics: prometheus.metrics, outbox: { slack: createSlackPoster(config) }, instance });
  const deliveries = async (outcome: string) => sampleValue(await prometheus.scrape(), 'mcr_deliveries_total', { kind: 'digest', outcome });

  beforeAll(async () => {
    slack = await new FakeSlack().start();
  });
  afterAll(async () => slack.stop());
  beforeEach(async () => {
    t = await tempDb();
    slack.calls.length = 0;
    config = loadConfig({ DATABASE_URL: t.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: `${slack.url}/api/`, MCR_TIMEZONE: 'Asia/Shanghai' });
    prometheus = createPrometheusMetrics({ pools: new Map([['main', () => poolStats(t.db)]]) });
    const a = await actor(t.db, { today: '2026-11-20', config: { timezone: 'Asia/Shanghai' } });
    admin = a.ctx;
    for (const line of ['account add "Acme Telecom" --tier strategic --account-manager alice@example.com', 'contact add "Tom Baker" --account Acme --position A --role decision_maker']) {
      const reply = await a.run(line);
      expect(reply.status, replyText(reply)).toBe('ok');
    }
    await linkPlatformPerson(t.db, { platform: 'slack', id: 'U1ALICE', email: 'alice@example.com', name: 'Alice Chen', locale: 'en-US' }, new Date());
    const subscribed = await runLine({ ...admin, channel: { platform: 'slack', id: 'C1ACME' } }, 'digest subscribe');
    expect(subscribed.status, replyText(subscribed)).toBe('ok');
  });
  afterEach(async () => t.cleanup());

  it('counts a digest sent, once', async () => {
    expect(await deliveries('sent')).toBe(0);
    expect((await sendDueDigests(deps('a'), MONDAY_9)).sent).toHaveLength(1);
    await sendDueDigests(deps('a'), at(1));
    expect(await deliveries('sent')).toBe(1);
    expect(await deliveries('failed')).toBe(0);
  });

  it('counts a failed send, its retry after the backoff, and a claim taken over from a dead instance', async () => {
    slack.failNext('chat.postMessage', { status: 200, error: 'fatal_error' });
    expect((await sendDueDigests(deps('a'), MONDAY_9)).failed).toHaveLength(1);
    expect(await deliveries('failed')).toBe(1);
    expect(sampleValue(await prometheus.scrape(), 'mcr_delivery_retries_total', { kind: 'digest' })).toBe(0);
    expect((await sendDueDigests(deps('a'), at(2))).sent).toHaveLength(1);
    let text = await prometheus.scrape();
    expect(sampleValue(text, 'mcr_delivery_retries_total', { kind: 'digest' })).toBe(1);
    expect(sampleValue(text, 'mcr_deliveries_total', { kind: 'digest', outcome: 'sent' })).toBe(1);
    expect(sampleValue(text, 'mcr_delivery_claims_taken_over_total', { kind: 'digest' })).toBe(0);

    // Next week an instance claims the period and dies before sending; after its lease another takes over.
    const nextWeek = 7 * 24 * 60;
    expect(await claimDelivery(t.db, 'digest:1:2026-11-30T09:00', 'dead-instance', at(nextWeek), 2 * 60_000)).toBe(true);
    expect((await sendDueDigests(deps('b'), at(nextWeek + 1))).sent).toHaveLength(0);
    expect((await sendDueDigests(deps('b'), at(nextWeek + 3))).sent).toHaveLength(1);
    text = await prometheus.scrape();
    expect(sampleValue(text, 'mcr_delivery_claims_taken_over_total', { kind: 'digest' })).toBe(1);
    expect(sampleValue(text, 'mcr_delivery_retries_total', { kind: 'digest' })).toBe(1);
  });

  it('counts imported rows by result, and a refused file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcr-metrics-'));
    try {
      const file = join(dir, 'accounts.csv');
      writeFileSync(file, 'name,tier\nAcme Telecom,partner\nGlobex,general\nInitech,priority\n');
      const options = { actorId: null, today: '2026-11-24', now: new Date('2026-11-24T10:00:00Z'), metrics: prometheus.metrics };
      await importCsv(t.db, 'accounts', file, options);
      await importCsv(t.db, 'accounts', file, options);
      writeFileSync(file, 'name,tier\nUmbrella,nonsense\n');
      await expect(importCsv(t.db, 'accounts', file, options)).rejects.toBeInstanceOf(ImportError);
      const text = await prometheus.scrape();
      const rows = (result: string) => sampleValue(text, 'mcr_import_rows_total', { kind: 'accounts', result });
      expect([rows('created'), rows('updated'), rows('unchanged')]).toEqual([2, 1, 3]);
      expect(sampleValue(text, 'mcr_imports_total', { kind: 'accounts', outcome: 'ok' })).toBe(2);
      expect(sampleValue(text, 'mcr_imports_total', { kind: 'accounts', outcome: 'rejected' })).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(TEST_ENGINE !== 'postgres')('reads the PostgreSQL pool at each scrape: open, idle, waiting, max', async () => {
    const db: Db = createDb(t.url, { poolSize: 3 });
    try {
      const pool = createPrometheusMetrics({ pools: new Map([['main', () => poolStats(db)]]) });
      const value = async (name: string) => sampleValue(await pool.scrape(), name, { engine: 'postgres', thread: 'main' });
      expect(await value('mcr_db_pool_max_connections')).toBe(3);
      expect(await value('mcr_db_pool_open_connections')).toBe(0);
      // Five queries at once on three connections: two wait while they run.
      const running = Promise.all(Array.from({ length: 5 }, () => db.selectNoFrom((eb) => eb.fn('pg_sleep', [eb.lit(1)]).as('slept')).execute()));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await value('mcr_db_pool_open_connections')).toBe(3);
      expect(await value('mcr_db_pool_waiting_clients')).toBe(2);
      await running;
      expect(await value('mcr_db_pool_idle_connections')).toBe(3);
    } finally {
      await db.destroy();
    }
  });

  it.skipIf(TEST_ENGINE !== 'sqlite')('reports SQLite as its one connection, with no idle or waiting series', async () => {
    const text = await prometheus.scrape();
    expect(sampleValue(text, 'mcr_db_pool_open_connections', { engine: 'sqlite' })).toBe(1);
    expect(sampleValue(text, 'mcr_db_pool_max_connections', { engine: 'sqlite' })).toBe(1);
    expect(text).not.toMatch(/^mcr_db_pool_(idle_connections|waiting_clients)\{/m);
  });

  it("reports each thread's pool as a series of its own; a thread that cannot say now is left out of that scrape", async () => {
    const pools: Pools = new Map<string, () => PoolStats | undefined | Promise<PoolStats | undefined>>([
      ['main', () => ({ engine: 'sqlite', max: 1, open: 1 })],
      ['slack-1', async () => ({ engine: 'postgres', max: 4, open: 3, idle: 1, waiting: 2 })],
      ['scheduler', async () => undefined],
    ]);
    const text = await createPrometheusMetrics({ pools }).scrape();
    expect(sampleValue(text, 'mcr_db_pool_open_connections', { thread: 'main', engine: 'sqlite' })).toBe(1);
    expect(sampleValue(text, 'mcr_db_pool_waiting_clients', { thread: 'slack-1', engine: 'postgres' })).toBe(2);
    expect(sampleValue(text, 'mcr_db_pool_idle_connections', { thread: 'slack-1' })).toBe(1);
    expect(text).not.toMatch(/thread="scheduler"/);
  });
});
