import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { createDb, isPostgresUrl } from '../../src/db/create-db.ts';
import { saveSubscription } from '../../src/db/digest.repository.ts';
import { random } from '../generate.ts';
import { mondayRequest, pickKind, type RequestKind, type Sent, type Target } from './monday-mix.ts';
import { roundRobin } from './round-robin.ts';
import { freePort, slackStandInThread, type SlackStandIn } from '../slack-stand-in.ts';
import { parseMetrics } from '../../test/helpers/prometheus.ts';

/** Simulated account managers, one connection each (issue 19: 50 concurrent users). */
export const USERS = 50;
/** Slack channels whose digests go out during the load (issue 19). */
export const DIGEST_CHANNELS = 500;
const SIGNING_SECRET = 'bench-load-secret';
const METRICS_TOKEN = 'bench-load-metrics-token';
const ROOT = join(import.meta.dirname, '..', '..');

/** One run's figures: the bot's, and the bare Bolt app's under the same load. */
export interface LoadFigures {
  engine: 'sqlite' | 'postgres';
  instances: number;
  seconds: number;
  /** Requests a second per user; 0: as fast as answered. */
  pace: number;
  bare: Acks;
  bot: Acks & {
    replies: { count: number; p50: number; p99: number; missing: number };
    /** Each brief's power map, from sending the brief to its picture's message; `late`: not there when the run settled. */
    pictures: { count: number; p50: number; p99: number; late: number };
    visits: { acked: number; stored: number; lost: number; duplicates: number };
    digests: { due: number; sent: number; p50Delay: number; maxDelay: number; dueAfterReady: boolean };
    /**
     * The main thread during the load, from the bots' /metrics (prom-client): event loop delay p99 and max (ms, the worst
     * instance; a stall is one sample however long, so a few long ones show in the max only), GC time (s, all instances).
     */
    mainThread: { loopDelayP99: number; loopDelayMax: number; gcSeconds: number };
  };
}
interface Acks {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
  byKind: Record<RequestKind, number>;
  /** Ack p99 of each kind of request (a visit is acked once saved, after its sender's previous request: issue 8). */
  p99Of: Record<RequestKind, number>;
  /**
   * CPU seconds over the load: of the app's main threads (the one that acks), of the app (its processes, every
   * thread: the bot's main thread, digests and pictures, libuv's and V8's), and of the load generator (this
   * process: autocannon, the stand-in for Slack, the round-robin), on the same cores.
   */
  cpu: { mainThread: number; app: number; load: number };
}

/** The p-th percentile of `values` (NaN for none), nearest rank; `values` is left as it was. */
export const percentile = (values: readonly number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** Starts `script` with npm start's 1 GB heap (a .ts one through tsx) and waits until `/readyz` answers 200. */
async function startProcess(script: string, env: Record<string, string>): Promise<{ port: number; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  // `bench --load --profile DIR`: each bot writes a CPU profile when it stops (bench/cpu-profile.ts reads them).
  const profile = process.env.MCR_BENCH_PROFILE_DIR && script === 'bin/start.js' ? ['--cpu-prof', '--cpu-prof-dir', process.env.MCR_BENCH_PROFILE_DIR] : [];
  const child = spawn(process.execPath, ['--max-old-space-size=1024', ...profile, ...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited: ${stderr}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`${script} not ready in 60 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** CPU seconds a process (every thread), or with `mainThread` its main thread alone, has used, from Linux's /proc; NaN elsewhere. */
function cpuSecondsOf(pid: number | undefined, mainThread = false): number {
  try {
    // The fields after the command's closing parenthesis: state is the 3rd field of stat(5), utime the 14th, stime the 15th.
    const fields = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
/** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every architecture Node runs on. */
const CLOCK_TICKS = 100;

/** `drive`, with the CPU the app's processes (and their main threads) and this one used meanwhile. */
async function driveTimed(pids: Array<number | undefined>, run: () => Promise<Omit<Acks, 'cpu'>>): Promise<Acks> {
  const app = (mainThread: boolean) => pids.reduce<number>((sum, pid) => sum + cpuSecondsOf(pid, mainThread), 0);
  const before = { main: app(true), app: app(false), load: process.cpuUsage() };
  const acks = await run();
  const load = process.cpuUsage(before.load);
  return { ...acks, cpu: { mainThread: app(true) - before.main, app: app(false) - before.app, load: (load.user + load.system) / 1e6 } };
}

/**
 * What a bot's `/metrics` says of its main thread: the event loop's delay p99 and max since
 * the last scrape (prom-client resets them at each; a long stall is one sample, invisible at
 * p99) and the GC time since the start, in seconds.
 */
async function mainThreadOf(port: number): Promise<{ loopDelayP99: number; loopDelayMax: number; gcSeconds: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const samples = parseMetrics(text);
  return {
    loopDelayP99: samples.find((s) => s.name === 'nodejs_eventloop_lag_p99_seconds')?.value ?? Number.NaN,
    loopDelayMax: samples.find((s) => s.name === 'nodejs_eventloop_lag_max_seconds')?.value ?? Number.NaN,
    gcSeconds: samples.filter((s) => s.name === 'nodejs_gc_duration_seconds_sum').reduce((sum, s) => sum + s.value, 0),
  };
}

/** `count` random (account, contact) pairs of the data set, the same every run. */
async function targets(url: string, count: number): Promise<Target[]> {
  const db = createDb(url);
  try {
    const rows = await db.selectFrom('contacts').select(['id', 'account_id']).orderBy('id').execute();
    const rnd = random(23);
    return Array.from({ length: count }, () => {
      const row = rows[Math.floor(rnd() * rows.length)]!;
      return { accountId: row.account_id, contactId: row.id };
    });
  } finally {
    await db.destroy();
  }
}

/**
 * {@link DIGEST_CHANNELS} channels, each following an equal share of the accounts (a team's
 * accounts: 20 each at ×1), a daily digest at `slot` (UTC), subscribed at `createdAt`.
 */
async function subscribeChannels(url: string, prefix: string, slot: Date, createdAt: Date): Promise<void> {
  const db = createDb(url);
  try {
    const ids = (await db.selectFrom('accounts').select('id').orderBy('id').execute()).map((r) => r.id);
    const time = slot.toISOString().slice(11, 16);
    for (let i = 0; i < DIGEST_CHANNELS; i++) {
      const accountIds = ids.filter((_, j) => j % DIGEST_CHANNELS === i);
      if (accountIds.length === 0) accountIds.push(ids[i % ids.length]!);
      await saveSubscription(db, { platform: 'slack', channelId: `${prefix}${String(i).padStart(3, '0')}`, schedule: { frequency: 'daily', weekday: 1, time, timezone: 'UTC' }, scope: { kind: 'accounts', accountIds }, locale: i % 2 === 0 ? 'en' : 'zh-CN', createdBy: null }, createdAt);
    }
  } finally {
    await db.destroy();
  }
}

/**
 * How often each simulated user sends a request, per second (`--pace`, default 1): a person at
 * the keyboard cannot type a slash command or submit a form faster, so 50 users at 1 a second
 * (3,000 requests a minute) is a Monday at its worst. At a fixed pace bare Bolt and the bot get
 * the same requests, which is what "ack p99 beside bare Bolt under the same load" compares. 0 is
 * every user sending again as soon as the ack came back: a saturation test, where the faster app
 * simply gets more requests (the figures of 2026-11-28 in bench/README).
 */
export const DEFAULT_PACE = 1;

/**
 * The load against `url` (the bot or bare Bolt, directly or through the proxy) for `seconds`:
 * {@link USERS} users, each its own autocannon connection. At a pace each user is an autocannon
 * of its own (`connectionRate`), started 1/{@link USERS} of a second after the one before, so
 * the requests come evenly spread rather than in a burst of 50 every second (one autocannon's
 * connections all tick on the same second). Latency is timed here, from the request's write
 * (autocannon builds each request just before writing it) to its answer, the same for both apps.
 */
async function drive(url: string, seconds: number, pace: number, standIn: SlackStandIn, pick: () => Target, label: string, onSent: (sent: Sent, status: number, body: string) => void): Promise<Omit<Acks, 'cpu'>> {
  const rnd = random(31);
  let n = 0;
  const byKind = { brief: 0, visit: 0, tier: 0, home: 0 } as Record<RequestKind, number>;
  const latencies: number[] = [];
  const latenciesOf = { brief: [], visit: [], tier: [], home: [] } as Record<RequestKind, number[]>;
  const user = (connections: number, start: number) =>
    new Promise<void>((resolve) => setTimeout(resolve, start)).then(() =>
      autocannon({
        url,
        connections,
        duration: seconds,
        timeout: 10,
        ...(pace > 0 ? { connectionRate: pace } : {}),
        requests: [
          {
            setupRequest: (request, context) => {
              const kind = pickKind(rnd);
              // The ids of one run must not meet another's (the same database serves several runs).
              const built = mondayRequest(kind, `${label}-${n}`, `ULOAD${n % USERS}`, pick(), standIn.url, SIGNING_SECRET);
              n++;
              byKind[kind]++;
              (context as { sent?: Sent }).sent = built.sent;
              return { ...request, ...built.request };
            },
            onResponse: (status, body, context) => {
              const sent = (context as { sent?: Sent }).sent;
              if (!sent) return;
              const latency = performance.now() - sent.at;
              latencies.push(latency);
              latenciesOf[sent.kind].push(latency);
              onSent(sent, status, body);
            },
          },
        ],
      }),
    );
  const results = await Promise.all(pace > 0 ? Array.from({ length: USERS }, (_, i) => user(1, (i * 1000) / USERS / pace)) : [user(USERS, 0)]);
  const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
  return {
    requests,
    perSecond: requests / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    p99Of: Object.fromEntries(Object.entries(latenciesOf).map(([kind, values]) => [kind, percentile(values, 99)])) as Record<RequestKind, number>,
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
    byKind,
  };
}

/**
 * Each user opens the Home tab once before the clock starts, not counted: the account managers
 * of a Monday have used the bot before. A form is submitted from a modal that a command or the
 * Home tab opened moments before, which looked its sender up (Slack's `users.info`, kept ten
 * minutes); the load sends the submissions alone, so without this a user whose first request
 * of the run was a visit paid that lookup in the visit's ack (bench/README.md). With `published`
 * (the bot), waits until every Home tab is there, i.e. every user looked up and linked.
 */
async function openEveryHome(urls: string[], standIn: SlackStandIn, label: string, pick: () => Target, published: boolean): Promise<void> {
  const users = Array.from({ length: USERS }, (_, i) => `ULOAD${i}`);
  // Each instance (three behind the round-robin) keeps its own lookups: every user opens it on each.
  await Promise.all(
    urls.flatMap((url, u) =>
      users.map(async (user, i) => {
        const { request } = mondayRequest('home', `${label}-home-${u}-${i}`, user, pick(), standIn.url, SIGNING_SECRET);
        const answer = await fetch(`${url}${request.path}`, request);
        await answer.text();
        if (answer.status !== 200) throw new Error(`opening ${user}'s Home tab before the load: HTTP ${answer.status}`);
      }),
    ),
  );
  const until = Date.now() + 30_000;
  while (published && users.some((user) => (standIn.published.get(user)?.length ?? 0) < urls.length)) {
    if (Date.now() > until) throw new Error('opening every Home tab before the load: not all published within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * One configuration of `--load` (issue 19 part 2): the bare Bolt yardstick, then the bot
 * (`instances` processes on the database at `url`, behind a round-robin when more than one),
 * each under {@link USERS} users sending the Monday mix for `seconds`, while the bot's
 * schedulers send the digests of {@link DIGEST_CHANNELS} channels. A run of a minute or more
 * has the digests fall due at a minute boundary 15 s into the load; a shorter one (small
 * scales, the suite's check) has them due as the bot starts, sent by its start-up catch-up.
 */
export async function runLoad(url: string, instances: number, seconds: number, pace = DEFAULT_PACE): Promise<LoadFigures> {
  const engine = isPostgresUrl(url) ? 'postgres' : 'sqlite';
  const label = `${engine[0]}${instances}x${process.pid}`;
  const pool = await targets(url, 5_000);
  let next = 0;
  const pick = () => pool[next++ % pool.length]!;
  const standIn = await slackStandInThread();
  const started: Array<{ port: number; child: ChildProcess; stop(): Promise<void> }> = [];
  const pids = () => started.map((s) => s.child.pid);
  const front = async () => (started.length === 1 ? { url: `http://127.0.0.1:${started[0]!.port}`, close: async () => undefined } : roundRobin(started.map((s) => s.port)));
  const stopAll = async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  };
  try {
    // The yardstick first, under the same load through the same front.
    started.push(...(await Promise.all(Array.from({ length: instances }, () => startProcess('bench/load/bare-bolt.ts', { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${standIn.url}/api/` })))));
    let entry = await front();
    await openEveryHome([entry.url], standIn, `${label}b`, pick, false);
    const bare = await driveTimed(pids(), () => drive(entry.url, seconds, pace, standIn, pick, `${label}b`, () => undefined));
    await entry.close();
    await stopAll();

    // The digests: due at the next minute boundary 15 s into the load, or (a short run) now.
    const long = seconds >= 30;
    const now = Date.now();
    const channelPrefix = `CL${label}`;
    let slot: Date;
    if (!long) {
      slot = new Date(Math.floor(now / 60_000) * 60_000);
      await subscribeChannels(url, channelPrefix, slot, new Date(slot.getTime() - 60_000));
    }
    const botEnv = {
      DATABASE_URL: url, SLACK_BOT_TOKEN: 'xoxb-load', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${standIn.url}/api/`, MCR_TIMEZONE: 'UTC', LOG_LEVEL: 'error', METRICS_TOKEN,
      ...(process.env.SLACK_ANSWER_THREADS && { SLACK_ANSWER_THREADS: process.env.SLACK_ANSWER_THREADS }),
    };
    started.push(...(await Promise.all(Array.from({ length: instances }, () => startProcess('bin/start.js', botEnv)))));
    const ready = performance.now();
    await openEveryHome(started.map((s) => `http://127.0.0.1:${s.port}`), standIn, label, pick, true);
    if (long) {
      // Wait until 45 s past a minute, so that the digests fall due 15 s into the load.
      const wait = (105_000 - (Date.now() % 60_000)) % 60_000;
      await new Promise((resolve) => setTimeout(resolve, wait));
      slot = new Date(Math.ceil((Date.now() + 1) / 60_000) * 60_000);
      await subscribeChannels(url, channelPrefix, slot, new Date());
    }
    const slotAt = performance.now() + (slot!.getTime() - Date.now());
    // When a user gets the answer: the response_url post (slash commands) or the Home tab published.
    const waiting: Sent[] = [];
    const acked: string[] = [];
    entry = await front();
    // Read once before the load: the event loop's delay then counts the load alone.
    const before = await Promise.all(started.map((s) => mainThreadOf(s.port)));
    const bot = await driveTimed(pids(), () =>
      drive(entry.url, seconds, pace, standIn, pick, label, (sent, status, body) => {
        if (sent.kind === 'visit') {
          if (status === 200 && !body.includes('"errors"')) acked.push(sent.id);
        } else if (status === 200) waiting.push(sent);
      }),
    );
    await entry.close();
    const after = await Promise.all(started.map((s) => mainThreadOf(s.port)));
    const mainThread = {
      loopDelayP99: Math.max(...after.map((a) => a.loopDelayP99)) * 1000,
      loopDelayMax: Math.max(...after.map((a) => a.loopDelayMax)) * 1000,
      gcSeconds: after.reduce((sum, a, i) => sum + a.gcSeconds - before[i]!.gcSeconds, 0),
    };
    const replyOf = (sent: Sent, used: Map<string, number>): number | undefined => {
      if (sent.kind !== 'home') return standIn.responses.get(sent.id);
      const at = standIn.published.get(sent.user) ?? [];
      const index = used.get(sent.user) ?? 0;
      // A user's Home tab is published in the order it was opened: the n-th open, the n-th publish.
      const found = at.find((t, i) => i >= index && t >= sent.at);
      if (found !== undefined) used.set(sent.user, at.indexOf(found) + 1);
      return found;
    };
    // The answers still on their way get 15 s to arrive; the digests their minute and a little more.
    // A short run's digests fell due before the bot could send them: their delay counts from when it was ready.
    const dueAt = long ? slotAt : Math.max(slotAt, ready);
    const settle = Date.now() + Math.max(15_000, dueAt + 65_000 - performance.now());
    const channelsSent = () => new Set(standIn.posts.filter((p) => p.channel.startsWith(channelPrefix)).map((p) => p.channel)).size;
    while (Date.now() < settle && (channelsSent() < DIGEST_CHANNELS || waiting.some((s) => s.kind !== 'home' && !standIn.responses.has(s.id)))) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const used = new Map<string, number>();
    const replies: number[] = [];
    let missing = 0;
    for (const sent of waiting.sort((a, b) => a.at - b.at)) {
      const at = replyOf(sent, used);
      if (at === undefined) missing++;
      else replies.push(at - sent.at);
    }
    const pictures = waiting.filter((s) => s.kind === 'brief').map((s) => (standIn.pictures.get(s.id) ?? Number.NaN) - s.at);
    const drawn = pictures.filter(Number.isFinite);
    const firstPost = new Map<string, number>();
    for (const post of standIn.posts) if (post.channel.startsWith(channelPrefix) && !firstPost.has(post.channel)) firstPost.set(post.channel, post.at);
    const delays = [...firstPost.values()].map((at) => (at - dueAt) / 1000);
    await stopAll();
    const db = createDb(url);
    // Every visit acked as saved must be there once; a visit still in flight when the load stopped may be there too.
    const summaries = (await sql<{ summary: string }>`select summary from activities where summary like ${`load-${label}-%`}`.execute(db)).rows.map((r) => r.summary);
    await db.destroy();
    const stored = new Set(summaries);
    const lost = acked.filter((id) => !stored.has(`load-${id}`)).length;
    return {
      engine,
      instances,
      seconds,
      pace,
      bare,
      bot: {
        ...bot,
        errors: bot.errors + missing,
        replies: { count: replies.length, p50: percentile(replies, 50), p99: percentile(replies, 99), missing },
        pictures: { count: drawn.length, p50: percentile(drawn, 50), p99: percentile(drawn, 99), late: pictures.length - drawn.length },
        visits: { acked: acked.length, stored: stored.size, lost, duplicates: summaries.length - stored.size },
        digests: { due: DIGEST_CHANNELS, sent: firstPost.size, p50Delay: percentile(delays, 50), maxDelay: delays.length > 0 ? Math.max(...delays) : Number.NaN, dueAfterReady: !long },
        mainThread,
      },
    };
  } finally {
    await stopAll();
    await standIn.close();
  }
}
