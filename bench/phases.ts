import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { commands } from '../commands/index.ts';
import { loadConfig } from '../src/config.ts';
import { contextFor } from '../src/core/context.ts';
import { accountsInScope, buildDigest, digestParts, digestReply, periodEnding } from '../src/core/digest.ts';
import { createDispatcher, runLine } from '../src/core/dispatch.ts';
import { IMPORT_KINDS, type ImportKind } from '../src/csv/columns.ts';
import { importCsv } from '../src/csv/import-csv.ts';
import { CACHE_KIB, createDb, isPostgresUrl, migrateToLatest, sqlitePath, type Db } from '../src/db/create-db.ts';
import { saveSubscription } from '../src/db/digest.repository.ts';
import { ensureLocalPerson } from '../src/db/person.repository.ts';
import { createLogger } from '../src/log.ts';
import { replyBlocks } from '../src/slack/blocks.ts';
import { createSlackPoster } from '../src/slack/post.ts';
import { replyCards } from '../src/teams/cards.ts';
import { generate, random, scaled } from './generate.ts';
import { rawImport, rawImportPg, rawQueries, rawQueriesPg } from './raw.ts';
import { DEFAULT_PACE, percentile, runLoad } from './load/run.ts';
import { slackStandIn } from './slack-stand-in.ts';

/**
 * One phase of `npm run bench`, run by `bench/index.ts` in a process of its own so
 * that each phase's peak memory is its own (the generator's names, a million-row
 * import's garbage and the latency run never share a heap), as the bot's process
 * would not hold the generator or the baseline either:
 *
 *   tsx bench/phases.ts PHASE DIR SCALE SAMPLES [KIND]
 *
 * The databases are SQLite files in DIR, or the PostgreSQL databases named by
 * `MCR_BENCH_URL` (the project's) and `MCR_BENCH_RAW_URL` (the raw baseline's), which
 * `bench/index.ts` creates empty and drops. Prints one JSON line: the phase's figures
 * and its peak RSS.
 */
const TODAY = '2026-11-24';
const PHASES = ['generate', 'import', 'import-raw', 'latency', 'digest', 'digest-all', 'instances', 'load'] as const;
type Phase = (typeof PHASES)[number];

/** The raw import keeps its indexes while inserting row by row, which a larger page cache speeds up: it gets one. */
const RAW_CACHE_KIB = 65_536;

const files = (dir: string) => Object.fromEntries(IMPORT_KINDS.map((k) => [k, join(dir, `${k}.csv`)])) as Record<ImportKind, string>;

/** The project's database of the run and the raw baseline's: SQLite files in the run's folder, or PostgreSQL databases. */
const oursUrl = (dir: string) => process.env.MCR_BENCH_URL ?? `file:${join(dir, 'ours.sqlite')}`;
const rawUrl = (dir: string) => process.env.MCR_BENCH_RAW_URL ?? `file:${join(dir, 'raw.sqlite')}`;

/** The database's size on disk, bytes. */
async function databaseBytes(url: string): Promise<number> {
  if (!isPostgresUrl(url)) return statSync(sqlitePath(url)).size;
  return withPg(url, async (client) => Number((await client.query<{ size: string }>('select pg_database_size(current_database()) as size')).rows[0]!.size));
}

async function withPg<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The project's database of the run, and the local operator's context on it (as at TODAY, an admin). */
async function openOurs(dir: string) {
  const config = loadConfig({ DATABASE_URL: oursUrl(dir) });
  const db = createDb(config.databaseUrl);
  await migrateToLatest(db);
  const actor = await ensureLocalPerson(db, 'bench', new Date());
  const ctx = contextFor({ db, config, log: createLogger('error'), commands: createDispatcher(commands) }, actor, { asOf: TODAY, isAdmin: true });
  return { config, db, actor, ctx };
}

const run: Record<Phase, (dir: string, scale: number, samples: number, kind?: string) => Promise<unknown>> = {
  async generate(dir, scale) {
    await generate(dir, scaled(scale));
    return {};
  },

  /** One file through the project's own `importCsv`, as `mcr import KIND FILE` would in a process of its own: rows/s. */
  async import(dir, _scale, _samples, kind) {
    const { db, actor } = await openOurs(dir);
    const start = performance.now();
    // The most heap in use and the most outside it (typed arrays, Buffers), sampled a batch at a
    // time: how much of the peak RSS is the import's own data, and how much the process and SQLite.
    let heapMax = 0;
    let externalMax = 0;
    const onProgress = () => {
      const { heapUsed, external } = process.memoryUsage();
      heapMax = Math.max(heapMax, heapUsed);
      externalMax = Math.max(externalMax, external);
    };
    const result = await importCsv(db, kind as ImportKind, files(dir)[kind as ImportKind], { actorId: actor.id, today: TODAY, now: new Date(), onProgress });
    const perSecond = (result.rows / (performance.now() - start)) * 1000;
    await db.destroy();
    return { rows: result.rows, perSecond, dbBytes: await databaseBytes(oursUrl(dir)), heapMax, externalMax };
  },

  /** The same files with prepared statements on the driver (better-sqlite3 or pg) into a second, freshly migrated database. */
  async 'import-raw'(dir) {
    const url = rawUrl(dir);
    const db = createDb(url);
    await migrateToLatest(db);
    await db.destroy();
    const rates: Record<string, { rows: number; perSecond: number }> = {};
    if (isPostgresUrl(url)) {
      await withPg(url, async (client) => {
        for (const [kind, path] of Object.entries(files(dir)) as Array<[ImportKind, string]>) {
          const start = performance.now();
          const rows = await rawImportPg(client, kind, path);
          rates[kind] = { rows, perSecond: (rows / (performance.now() - start)) * 1000 };
        }
      });
      return { rates };
    }
    const raw = new SQLite(sqlitePath(url));
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('synchronous = NORMAL');
    raw.pragma(`cache_size = -${RAW_CACHE_KIB}`);
    for (const [kind, path] of Object.entries(files(dir)) as Array<[ImportKind, string]>) {
      const start = performance.now();
      const rows = await rawImport(raw, kind, path);
      rates[kind] = { rows, perSecond: (rows / (performance.now() - start)) * 1000 };
    }
    raw.close();
    return { rates };
  },

  /** `tier #id` and `brief #id` through the real command and through the raw-SQL baseline: p50, p99 (ms). */
  async latency(dir, _scale, samples) {
    const { config, db, ctx } = await openOurs(dir);
    const picks = await randomAccounts(db, samples);
    const url = oursUrl(dir);
    let queries: Record<'tier' | 'brief', (id: number, today: string) => unknown>;
    let closeBaseline: () => Promise<void>;
    if (isPostgresUrl(url)) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      queries = rawQueriesPg(client, config.rules);
      closeBaseline = () => client.end();
    } else {
      const baseline = new SQLite(sqlitePath(url), { readonly: true });
      baseline.pragma(`cache_size = -${CACHE_KIB}`);
      queries = rawQueries(baseline, config.rules);
      closeBaseline = async () => void baseline.close();
    }
    // Both paths warmed alike (page cache, prepared statements, JIT) before either is timed, on
    // every account timed: at ×10 the two databases (8 GB) outgrow what this machine keeps in its
    // page cache (~4 GB), and whichever path first touched an account read it from disk (raw
    // `tier` p50 21 ms, 2026-11-29): a figure of the disk, not of the code.
    for (const id of picks) {
      for (const command of ['tier', 'brief'] as const) {
        await runLine(ctx, `${command} #${id}`);
        await queries[command](id, TODAY);
      }
    }
    const timed = async (run: () => unknown) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    const p50p99 = (times: number[]) => [percentile(times, 50), percentile(times, 99)] as [number, number];
    const latency: Record<string, { ours: [number, number]; raw: [number, number] }> = {};
    for (const command of ['tier', 'brief'] as const) {
      // Ours and the baseline take turns on each account, so a pause of the shared machine
      // falls on both alike instead of on whichever happened to be running.
      const ours: number[] = [];
      const raw: number[] = [];
      for (const id of picks) {
        ours.push(
          await timed(async () => {
            const reply = await runLine(ctx, `${command} #${id}`);
            if (reply.status !== 'ok') throw new Error(`${command} #${id} failed: ${JSON.stringify(reply.data)}`);
          }),
        );
        raw.push(await timed(() => queries[command](id, TODAY)));
      }
      latency[command] = { ours: p50p99(ours), raw: p50p99(raw) };
    }
    await closeBaseline();
    await db.destroy();
    return { latency };
  },

  /** Digest build + render (neutral reply, Slack blocks, Teams cards), ms: channels following 200 random accounts, the median of five after one to warm up. */
  async digest(dir) {
    const { db, digestMs } = await digests(dir);
    const picks = [...new Set(await randomAccounts(db, 2000))];
    const times: number[] = [];
    for (let i = 0; i < 6; i++) times.push(await digestMs(picks.slice(i * 200, (i + 1) * 200)));
    const few = times.slice(1).sort((a, b) => a - b);
    await db.destroy();
    return { few: few[2]!, fewMax: few.at(-1)! };
  },

  /**
   * One channel following every account, after a 200-account digest to warm up, as the
   * scheduler sends it (issue 19): built, rendered (Slack blocks, Teams cards) and posted
   * through the Slack poster to a local stand-in for Slack that counts the messages, a
   * part (`DIGEST_PART_ACCOUNTS`, 1,000 accounts) at a time. Also the slowest part, and the
   * heap in use after each part (the largest), which stays flat if nothing accumulates.
   */
  async 'digest-all'(dir) {
    const { db, ctx, digestMs } = await digests(dir);
    await digestMs([...new Set(await randomAccounts(db, 220))].slice(0, 200));
    const slack = await slackStandIn({ keepPosts: false });
    const config = loadConfig({ DATABASE_URL: oursUrl(dir), SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: 'bench', SLACK_API_URL: `${slack.url}/api/` });
    const poster = createSlackPoster(config);
    let messages = 0;
    let parts = 0;
    let slowestPart = 0;
    let heapMax = 0;
    const start = performance.now();
    let partStart = start;
    for await (const part of digestParts(ctx, { kind: 'all' }, periodEnding(TODAY, 'weekly'))) {
      const reply = digestReply(ctx, part);
      messages += await poster.toChannel('CBENCHALL', reply);
      replyCards(reply);
      parts++;
      const now = performance.now();
      slowestPart = Math.max(slowestPart, now - partStart);
      partStart = now;
      heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
    }
    const all = performance.now() - start;
    const accounts = Number((await db.selectFrom('accounts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    await slack.close();
    await db.destroy();
    if (slack.postCount() !== messages) throw new Error(`digest-all: ${messages} messages made, ${slack.postCount()} posted`);
    return { all, accounts, parts, messages, slowestPart, heapMax };
  },

  /**
   * Three instances on one database send every digest exactly once while the load runs:
   * {@link INSTANCE_CHANNELS} channels subscribed to a daily digest of 200 random accounts,
   * due at 09:00 UTC on TODAY; three `mcr digest run --as-of TODAY` processes started at
   * once against a local stand-in for Slack's Web API that records every post, while
   * this process runs `tier` and `brief` on random accounts until all three have exited.
   */
  async instances(dir) {
    const { db, ctx } = await openOurs(dir);
    const rnd = random(11);
    const ids = (await db.selectFrom('accounts').select('id').orderBy('id').execute()).map((r) => r.id);
    const channels: string[] = [];
    for (let i = 0; i < INSTANCE_CHANNELS; i++) {
      const accountIds = [...new Set(Array.from({ length: 200 }, () => ids[Math.floor(rnd() * ids.length)]!))];
      const channelId = `CBENCH${String(i).padStart(3, '0')}`;
      const schedule = { frequency: 'daily' as const, weekday: 1, time: '09:00', timezone: 'UTC' };
      await saveSubscription(db, { platform: 'slack', channelId, schedule, scope: { kind: 'accounts', accountIds }, locale: i % 2 === 0 ? 'en' : 'zh-CN', createdBy: null }, new Date('2026-11-20T00:00:00Z'));
      channels.push(channelId);
    }
    const slack = await slackStandIn();
    const env = {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: oursUrl(dir), SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: 'bench',
      SLACK_API_URL: `${slack.url}/api/`, MCR_TIMEZONE: 'UTC', LOG_LEVEL: 'error',
    };
    const bin = join(import.meta.dirname, '..', 'bin', 'mcr.js');
    const started = performance.now();
    const instances = [0, 1, 2].map(() => new Promise<{ code: number | null; sent: number; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['--max-old-space-size=1024', bin, 'digest', 'run', '--as-of', TODAY, '--json'], { env });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (code) => {
        let sent = 0;
        try {
          sent = (JSON.parse(out) as { digests: { sent: string[] } }).digests.sent.length;
        } catch {
          // Not a report: the exit code and the output say what happened.
        }
        resolve({ code, sent, out });
      });
    }));
    let running = true;
    const done = Promise.all(instances).finally(() => (running = false));
    // The load: `tier` and `brief` on random accounts, one after another, until all three are done.
    const times: number[] = [];
    for (let n = 0; running; n++) {
      const id = ids[Math.floor(rnd() * ids.length)]!;
      const start = performance.now();
      const reply = await runLine(ctx, `${n % 2 === 0 ? 'tier' : 'brief'} #${id}`);
      times.push(performance.now() - start);
      if (reply.status !== 'ok') throw new Error(`load: #${id} failed: ${JSON.stringify(reply.data)}`);
      // Between requests, as a server would: on SQLite a command never waits for I/O, and
      // the fake Slack in this process would otherwise not answer the instances' posts.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await done;
    const seconds = (performance.now() - started) / 1000;
    await slack.close();
    const failed = results.filter((r) => r.code !== 0);
    if (failed.length > 0) throw new Error(`mcr digest run failed: ${failed.map((r) => r.out).join('\n')}`);
    // Each digest is complete when its delivery is sent and the channel got exactly its parts, none twice.
    const rows = await db.selectFrom('deliveries').select(['key', 'status', 'parts_sent']).where('key', 'like', 'digest:%').execute();
    const subs = await db.selectFrom('digest_subscriptions').select(['id', 'channel_id']).execute();
    const channelOf = new Map(subs.map((r) => [r.id, r.channel_id]));
    const postsTo = new Map<string, number>();
    const bodies = new Set<string>();
    let duplicates = 0;
    for (const post of slack.posts) {
      postsTo.set(post.channel, (postsTo.get(post.channel) ?? 0) + 1);
      const body = `${post.channel}\n${post.blocks}`;
      if (bodies.has(body)) duplicates++;
      bodies.add(body);
    }
    let complete = 0;
    for (const row of rows) {
      const channel = channelOf.get(Number(row.key.split(':')[1]));
      if (row.status === 'sent' && channel && row.parts_sent > 0 && postsTo.get(channel) === row.parts_sent) complete++;
    }
    await db.destroy();
    return {
      due: channels.length, sent: rows.filter((r) => r.status === 'sent').length, complete, duplicates, missing: channels.length - complete,
      posts: slack.posts.length, byInstance: results.map((r) => r.sent), seconds,
      load: { requests: times.length, p50: percentile(times, 50), p99: percentile(times, 99) },
    };
  },

  /** `--load` (issue 19 part 2): the bot over HTTP under the Monday mix; SQLite one instance, PostgreSQL one and three. */
  async load(dir) {
    const url = oursUrl(dir);
    const seconds = Number(process.env.MCR_BENCH_LOAD_SECONDS ?? 60);
    const pace = Number(process.env.MCR_BENCH_LOAD_PACE ?? DEFAULT_PACE);
    const runs = [await runLoad(url, 1, seconds, pace)];
    if (isPostgresUrl(url)) runs.push(await runLoad(url, 3, seconds, pace));
    return { runs };
  },
};

/** Channels subscribed for the `instances` phase. */
const INSTANCE_CHANNELS = 30;

async function digests(dir: string) {
  const { db, ctx } = await openOurs(dir);
  const digestMs = async (accountIds: number[]) => {
    const start = performance.now();
    const accounts = await accountsInScope(ctx, { kind: 'accounts', accountIds });
    const reply = digestReply(ctx, await buildDigest(ctx, accounts, periodEnding(TODAY, 'weekly')));
    replyBlocks(reply, { maxBlocks: Number.POSITIVE_INFINITY });
    replyCards(reply);
    return performance.now() - start;
  };
  return { db, ctx, digestMs };
}

async function randomAccounts(db: Db, count: number): Promise<number[]> {
  const ids = (await db.selectFrom('accounts').select('id').orderBy('id').execute()).map((r) => r.id);
  const rnd = random(7);
  return Array.from({ length: count }, () => ids[Math.floor(rnd() * ids.length)]!);
}

const [phase, dir, scale, samples, kind] = process.argv.slice(2) as [Phase, string, string, string, string | undefined];
if (!PHASES.includes(phase)) throw new Error(`phase: one of ${PHASES.join(', ')}`);
const figures = await run[phase](dir, Number(scale), Number(samples), kind);
// The kernel's high-water mark: a timer sampling the RSS would not fire while the work holds the thread.
process.stdout.write(`${JSON.stringify({ ...(figures as object), peakRss: process.resourceUsage().maxRSS * 1024 })}\n`);
