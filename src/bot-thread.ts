import { Worker } from 'node:worker_threads';
import type { Metrics } from './core/metrics.ts';
import type { PoolStats } from './db/create-db.ts';
import type { Logger, LogLevel } from './log.ts';

/** What every thread of the bot may tell the thread that started it, besides its own messages. */
export type FromThread =
  | { type: 'log'; level: LogLevel; msg: string; fields?: Record<string, unknown> }
  | { type: 'metric'; name: keyof Metrics; args: unknown[] }
  | { type: 'started' }
  | { type: 'done'; id: number; pool?: PoolStats };
/** What every thread is asked, answered by `done` with the same id (`stop`: then it exits; `pool`: with its database pool). */
export type AskThread = { type: 'tick' | 'stop' | 'pool'; id: number };

export interface BotThread<To> {
  /** Hands the thread a message; false when it is not running (between a failure and its restart). */
  post(message: To): boolean;
  /** Asks it to run its jobs now (the scheduler's `tick`); answered at once when it is not running. */
  ask(type: 'tick'): Promise<void>;
  /** Its database pool now, for /metrics; undefined when it is not running or too busy to say within {@link POOL_ANSWER_MS}. */
  pool(): Promise<PoolStats | undefined>;
  /** The first `started`; rejects when the thread exits before it said so (it could not start). */
  started: Promise<void>;
  stop(): Promise<void>;
}

/** How long a scrape of /metrics waits for a thread to say what its pool holds (one blocked in SQLite's busy timeout cannot). */
const POOL_ANSWER_MS = 500;

/** How long after a thread died unexpectedly it is started again: the first time, the second, … (then each minute). */
const RESTART_MS = [1_000, 5_000, 15_000, 60_000];

/**
 * A thread of the bot (the scheduler's, Slack's answers), started from its entry module
 * (`scheduler-main`, `slack-main`: src/….ts from the sources, ….js beside main.js in the
 * bundle of bin/start.js). Its log lines and metrics come back to the process's one logger
 * and one /metrics (see thread-port.ts); a thread that dies is started again, and
 * `onExit` hears of it (to answer what was waiting for it).
 */
export function startBotThread<To, From extends { type: string }>(options: {
  entry: 'scheduler-main' | 'slack-main';
  data: unknown;
  log: Logger;
  metrics?: Metrics;
  onMessage?: (message: From) => void;
  /** Each time it says it started (again, after a restart). */
  onStarted?: () => void;
  onExit?: () => void;
}): BotThread<To> {
  const { entry, data, log, metrics } = options;
  let worker: Worker;
  let running = false;
  let stopping = false;
  let hasStarted = false;
  // This run of it said it started (hasStarted: any run did).
  let up = false;
  let failures = 0;
  let asked = 0;
  const answers = new Map<number, (pool?: PoolStats) => void>();
  let restart: NodeJS.Timeout | undefined;
  let startedOk!: () => void;
  let failedToStart!: (error: Error) => void;
  const started = new Promise<void>((resolve, reject) => {
    startedOk = resolve;
    failedToStart = reject;
  });
  const start = () => {
    worker = isTypeScript()
      ? new Worker(new URL('./typescript-thread.mjs', import.meta.url), { workerData: data, argv: [`./${entry}.ts`] })
      : new Worker(new URL(`./${entry}.js`, import.meta.url), { workerData: data });
    running = true;
    up = false;
    worker.on('message', (message: FromThread | From) => {
      if (message.type === 'log') {
        const line = message as Extract<FromThread, { type: 'log' }>;
        log[line.level](line.msg, line.fields);
      } else if (message.type === 'metric') {
        const metric = message as Extract<FromThread, { type: 'metric' }>;
        (metrics?.[metric.name] as ((...args: unknown[]) => void) | undefined)?.(...metric.args);
      } else if (message.type === 'started') {
        failures = 0;
        hasStarted = true;
        up = true;
        startedOk();
        options.onStarted?.();
      } else if (message.type === 'done') {
        const { id, pool } = message as Extract<FromThread, { type: 'done' }>;
        answers.get(id)?.(pool);
        answers.delete(id);
      } else {
        options.onMessage?.(message as From);
      }
    });
    worker.on('error', (error) => log.error('thread failed', { error }));
    worker.on('exit', (code) => {
      running = false;
      for (const answer of answers.values()) answer();
      answers.clear();
      options.onExit?.();
      if (stopping) return;
      if (!hasStarted) {
        failedToStart(new Error(`the ${entry} thread stopped before it started (exit code ${code})`));
        return;
      }
      const wait = RESTART_MS[Math.min(failures++, RESTART_MS.length - 1)]!;
      log.error('thread stopped; starting it again', { code, inMs: wait });
      restart = setTimeout(start, wait);
    });
  };
  // Nothing to ask a thread that is not running (between a failure and its restart): answered at once.
  const ask = (type: AskThread['type']) =>
    new Promise<PoolStats | undefined>((resolve) => {
      if (!running) return resolve(undefined);
      const id = ++asked;
      answers.set(id, resolve);
      worker.postMessage({ type, id } satisfies AskThread);
    });
  start();
  // A caller that never awaits `started` (the scheduler) must not see an unhandled rejection.
  started.catch(() => undefined);
  return {
    post: (message) => {
      if (!running) return false;
      worker.postMessage(message);
      return true;
    },
    ask: async (type) => void (await ask(type)),
    pool: async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, POOL_ANSWER_MS, undefined)));
      const answer = await Promise.race([ask('pool'), late]);
      clearTimeout(timer);
      return answer;
    },
    started,
    stop: async () => {
      stopping = true;
      clearTimeout(restart);
      if (!running) return;
      // Still loading or warming up: nothing was handed to it yet, so nothing to finish.
      if (!up) return void (await worker.terminate());
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      await ask('stop');
      await exited;
    },
  };
}

/** Running from the TypeScript sources (tsx, the tests), not from the bundle of bin/start.js, whose entries sit beside main.js. */
function isTypeScript(): boolean {
  return import.meta.url.endsWith('.ts');
}
