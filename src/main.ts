import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { channelsOf, isLocalOnly, loadConfigOrSay, loadDotEnv, type Config } from './config.ts';
import type { AppDeps } from './core/context.ts';
import type { CommandIndex } from './core/dispatch.ts';
import type { warmUp } from './core/warm-up.ts';
import { createDb, isPostgresUrl, migrateToLatest, poolStats, sqlitePath } from './db/create-db.ts';
import { databaseCheck } from './db/health.ts';
import { describeDatabaseError } from './db/open-errors.ts';
import { isDatabaseUnavailable } from './db/sql.ts';
import { healthRoutes, type Phase } from './http/health.ts';
import { metricsRoute } from './http/metrics-route.ts';
import { closeHttpServer, createHttpServer, type HttpServer, type Routes } from './http/server.ts';
import { createLogger, messageOf, type Logger } from './log.ts';
import type { Pools } from './metrics/prometheus.ts';
import type { createOutbox } from './outbox.ts';
import type { Scheduler } from './scheduler/scheduler.ts';
import { startSchedulerThread, type SchedulerThread } from './scheduler/thread.ts';
import type { TeamsOptions } from './teams/app.ts';

export interface RunningBot {
  port: number;
  /** The address the HTTP server listens on: `127.0.0.1` in Teams' local mode, else every interface. */
  host: string;
  stop(): Promise<void>;
}

export interface BotOptions {
  /** Run the digest and reminder scheduler (default on; tests of other parts turn it off). */
  scheduler?: boolean;
  /** Tests only: see {@link TeamsOptions}. */
  teams?: TeamsOptions;
  /** Tests only: stands in for {@link warmUp} (to hold start-up while warming). */
  warmUp?: typeof warmUp;
  /**
   * Slack's answers on a thread of their own (default: whenever they can be; see
   * slackOnItsOwnThread). Tests only: off, to share with the bot what lives per thread
   * (the drawing thread's line of pictures).
   */
  slackThread?: boolean;
}

/**
 * Wires config → database → channels → the one HTTP server → the scheduler. Returns
 * once it listens; `stop` stops taking work, lets requests in flight finish, stops the
 * scheduler and closes the database.
 */
export async function startBot(config: Config, log: Logger, options: BotOptions = {}): Promise<RunningBot> {
  // SQLite's checkpoints are the scheduler thread's (db/wal-checkpoints.ts): none on this thread's commits.
  const db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize, checkpoints: 'background' });
  try {
    // A PostgreSQL server still booting is waited for; a SQLite file that cannot be opened will not get better.
    await (isPostgresUrl(config.databaseUrl) ? untilReachable(() => migrateToLatest(db), log) : migrateToLatest(db));
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
  // Metrics only with a token: without one nothing is counted, /metrics does not exist and prom-client is not loaded.
  // Each thread's database pool, for /metrics: this one's; the answers thread's and the scheduler's once they run.
  const pools: Pools = new Map([['main', () => poolStats(db)]]);
  const prometheus = config.metricsToken ? (await import('./metrics/prometheus.ts')).createPrometheusMetrics({ pools }) : undefined;
  const channels = channelsOf(config);
  // Each channel's code is loaded only when it is on: Teams' (teams-ai, botbuilder, their recognizers and
  // tokenizer) is half of a cold start's module loading, paid for nothing by a Slack-only bot (issue 19 part 3).
  const slackThread = channels.slack && options.slackThread !== false && slackOnItsOwnThread(config);
  // First: Slack's first answers thread loads its modules on another core while this one loads Bolt's
  // receiver, and a cold start is ready once that thread is warm (issue 19 part 3).
  const slackFront = slackThread ? await (await import('./slack/answers-thread.ts')).startSlackFront(config, log, prometheus?.metrics) : undefined;
  // What this thread needs to answer users itself (Teams, Slack in-process, the scheduler on an in-memory
  // database): the commands, loaded when first asked for. With Slack on its own threads and
  // Teams off it never is: those threads load their own, and this one only reads, acks and hands on.
  let loaded: Promise<AppDeps> | undefined;
  const depsHere = () => (loaded ??= loadCommands().then((commands) => ({ db, config, log, commands, ...(prometheus && { metrics: prometheus.metrics }) })));
  let phase: Phase = 'starting';
  // The routing table: each path with the methods it answers (anything else is 405).
  const routes: Routes = healthRoutes(databaseCheck(db, config.databaseUrl), {
    channels: Number(channels.slack) + Number(channels.teams),
    phase: () => (server.draining ? 'draining' : phase),
    log,
  });
  if (prometheus) routes['/metrics'] = { methods: ['GET', 'HEAD'], handle: metricsRoute(config.metricsToken!, prometheus.scrape, prometheus.contentType) };
  const slack = channels.slack && !slackThread ? (await import('./slack/app.ts')).createSlackAdapter(await depsHere()) : undefined;
  if (slackFront) {
    routes['/slack/events'] = { methods: ['POST'], handle: slackFront.requestListener };
    for (const [name, read] of slackFront.pools) pools.set(name, read);
  }
  if (slack?.requestListener) routes['/slack/events'] = { methods: ['POST'], handle: slack.requestListener };
  if (channels.teams) routes['/api/messages'] = { methods: ['POST'], handle: (await import('./teams/app.ts')).createTeamsBot(await depsHere(), options.teams).route };
  const server = createHttpServer(routes, log);
  // Unauthenticated Teams must not be reachable from another machine, whatever else is served.
  const localOnly = isLocalOnly(config);
  try {
    await listen(server, config.port, localOnly ? '127.0.0.1' : undefined);
  } catch (error) {
    await slackFront?.stop().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    throw error;
  }
  await slack?.start();
  const { port, address: host } = server.address() as AddressInfo;
  if (localOnly) {
    log.warn('Teams without MICROSOFT_APP_ID: local development mode, requests are not authenticated; listening on 127.0.0.1 only', { host, port });
  }
  // Paid now, while /readyz says "starting", rather than by the first user (issue 19 part 3); only
  // where this thread answers users (Teams, Slack in-process): else it would take a core from
  // the answers threads' own warm-up for nothing.
  if (channels.teams || slack) await (options.warmUp ?? (await import('./core/warm-up.ts')).warmUp)(await depsHere(), slack ? [slack.render] : []);
  // Slack's answers thread warms itself (its own database connection, its own compiled code).
  try {
    await slackFront?.ready;
  } catch (error) {
    await closeHttpServer(server);
    await db.destroy().catch(() => undefined);
    throw error;
  }
  // Until here /readyz said "starting": a load balancer sends nothing before the channels are up and warm.
  phase = 'running';
  // After ready: the scheduler's thread loads its own modules, which a cold start need not wait for.
  const scheduler = options.scheduler === false ? undefined : await startSchedulerFor(config, log, depsHere, prometheus?.metrics, slack?.app.client);
  if (scheduler?.pool) pools.set('scheduler', scheduler.pool);
  log.info('listening', {
    host,
    port,
    slack: !channels.slack ? 'off' : config.slack.appToken ? 'socket mode' : slackFront ? '/slack/events (answered on a thread of its own)' : '/slack/events',
    teams: channels.teams ? (config.teams.appId ? '/api/messages' : '/api/messages (no credentials: local testing only)') : 'off',
    ...(config.teams.appId && config.teams.openIdMetadataUrl && { teamsSigningKeys: config.teams.openIdMetadataUrl }),
    metrics: prometheus ? '/metrics (bearer token)' : 'off',
  });
  return {
    port,
    host,
    stop: async () => {
      // Out of the load balancer first; no new requests, those in flight answered; then the Slack listeners' work after their ack.
      phase = 'draining';
      await closeHttpServer(server);
      await slack?.stop();
      await slackFront?.stop();
      await scheduler?.stop();
      await db.destroy();
      log.info('stopped');
    },
  };
}

/**
 * Slack over HTTP answers on a thread of its own (slack/answers-thread.ts), except in Socket
 * Mode (Bolt acks over its own WebSocket) and on an in-memory SQLite database, which another
 * thread's connection could not see.
 */
function slackOnItsOwnThread(config: Config): boolean {
  return !config.slack.appToken && !inMemory(config.databaseUrl);
}

/** An in-memory SQLite database: only this thread's connection sees it, so nothing may move to another thread. */
function inMemory(databaseUrl: string): boolean {
  return !isPostgresUrl(databaseUrl) && sqlitePath(databaseUrl) === ':memory:';
}

/**
 * The digests and reminders: on a thread of their own (scheduler/thread.ts), so that building
 * them never holds up an answer; on this thread only for an in-memory SQLite database, which
 * another connection could not see.
 */
async function startSchedulerFor(config: Config, log: Logger, depsHere: () => Promise<AppDeps>, metrics: AppDeps['metrics'], slackClient: Parameters<typeof createOutbox>[1]): Promise<Scheduler & { pool?: SchedulerThread['pool'] }> {
  const instance = `${hostname()}:${process.pid}`;
  if (inMemory(config.databaseUrl)) {
    const [{ startScheduler }, { createOutbox }, deps] = await Promise.all([import('./scheduler/scheduler.ts'), import('./outbox.ts'), depsHere()]);
    return startScheduler({ ...deps, outbox: await createOutbox(deps, slackClient), instance });
  }
  return startSchedulerThread(config, instance, log, metrics);
}

/**
 * The bot's commands, behind the dispatcher: imported when first needed, not with this module,
 * so that a start reaches Slack's answers thread first (they are most of what a start loads).
 */
async function loadCommands(): Promise<CommandIndex> {
  const [{ commands }, { createDispatcher }] = await Promise.all([import('../commands/index.ts'), import('./core/dispatch.ts')]);
  return createDispatcher(commands);
}

/** Listens on `port`; a port in use or not ours to take is an error, not an unhandled event. */
function listen(server: HttpServer, port: number, host?: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * A start-up failure as the one line an operator needs (the setting, what is wrong,
 * the fix), never a stack: the database's own errors, a port that cannot be taken,
 * else the error's first line.
 */
export function startupFailure(error: unknown, config: Config): string {
  const described = describeDatabaseError(error, config.databaseUrl);
  if (described) return described;
  const code = (error as { code?: unknown }).code;
  if (code === 'EADDRINUSE') return `PORT: ${config.port} is already in use by another process; stop it or set PORT to a free port`;
  if (code === 'EACCES') return `PORT: this process may not listen on port ${config.port}; use a port above 1023 or grant the right to bind it`;
  return `start-up failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
}

const START_BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Runs `connect` until the database answers: an unreachable database at start-up
 * (PostgreSQL still booting, a network blip) is retried with backoff, saying why in
 * the log, instead of exiting. Other errors (a bad migration) stop start-up.
 */
export async function untilReachable<T>(connect: () => Promise<T>, log: Logger, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const wait = START_BACKOFF_MS[Math.min(attempt, START_BACKOFF_MS.length - 1)]!;
      log.warn('database unreachable at start-up; retrying', { error: messageOf(error), attempt: attempt + 1, retryInMs: wait });
      await sleep(wait);
    }
  }
}

/**
 * `npm start`: the channels the settings switch on; with none and a terminal, the local
 * console on the embedded database; with none and no terminal, exit non-zero naming
 * the settings to set.
 */
export async function main(): Promise<number> {
  loadDotEnv();
  const config = loadConfigOrSay(process.stderr);
  if (!config) return 1;
  const log = createLogger(config.logLevel);
  const channels = channelsOf(config);
  if (channels.slack || channels.teams) {
    let bot: RunningBot;
    try {
      bot = await startBot(config, log);
    } catch (error) {
      process.stderr.write(`${startupFailure(error, config)}\n`);
      return 1;
    }
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log.info('stopping', { signal });
        bot.stop().then(resolve, (error: unknown) => {
          log.error('stop failed', { error });
          resolve();
        });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    // Everything is closed. A Slack call still retrying (Slack unreachable) or a request that never
    // answers would keep the process up until the container runtime kills it 10 s after SIGTERM.
    setTimeout(() => process.exit(0), 500).unref();
    return 0;
  }
  if (!process.stdin.isTTY) {
    process.stderr.write('Nothing to serve: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack), or MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (Teams), or TEAMS_ENABLED=true; or run in a terminal for the local console (mcr console).\n');
    return 1;
  }
  let db;
  try {
    db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize });
    await migrateToLatest(db);
  } catch (error) {
    await db?.destroy().catch(() => undefined);
    process.stderr.write(`${startupFailure(error, config)}\n`);
    return 1;
  }
  try {
    const { runConsole } = await import('./console/console.ts');
    await runConsole({ db, config, log, commands: await loadCommands() }, { input: process.stdin, output: process.stdout });
    return 0;
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
