import { Worker } from 'node:worker_threads';
import type { Config } from '../config.ts';
import type { Metrics } from '../core/metrics.ts';
import { withFields, type Logger, type LogLevel } from '../log.ts';
import type { Scheduler } from './scheduler.ts';

/** What the scheduler's thread starts with (copied to it: plain data). */
export interface SchedulerThreadData {
  config: Config;
  instance: string;
  /** Whether the starting thread counts metrics (else none are sent back). */
  metrics: boolean;
}

/** What the thread tells: a log line, a metric, that it runs, that it did what it was asked. */
export type FromScheduler =
  | { type: 'log'; level: LogLevel; msg: string; fields?: Record<string, unknown> }
  | { type: 'metric'; name: keyof Metrics; args: unknown[] }
  | { type: 'started' }
  | { type: 'done'; id: number };
/** What it is asked: run the jobs now, or stop (each answered by `done` with the same id). */
export type ToScheduler = { type: 'tick' | 'stop'; id: number };

/** How long after the scheduler's thread died unexpectedly it is started again: the first time, the second, … (then each minute). */
const RESTART_MS = [1_000, 5_000, 15_000, 60_000];

/**
 * The scheduler on a thread of its own (issue 19 part 2): building 500 digests is half a
 * minute of CPU on a busy Monday, and on the thread that answers Slack it held every ack
 * and reply behind it (bench --load: ack p99 1.65 s with the digests, 48 ms without).
 * The thread opens its own database connection and posts through its own Web API client;
 * what is due is still decided by the claims in the database, so nothing is sent twice
 * whichever thread or process sends it. Its log lines and metrics come back here, to the
 * process's one logger and one /metrics. A thread that dies is started again.
 */
export function startSchedulerThread(config: Config, instance: string, processLog: Logger, metrics?: Metrics): Scheduler {
  const log = withFields(processLog, { thread: 'scheduler' });
  let worker: Worker;
  let running = false;
  let stopping = false;
  let failures = 0;
  let asked = 0;
  const answers = new Map<number, () => void>();
  let restart: NodeJS.Timeout | undefined;
  const start = () => {
    const data: SchedulerThreadData = { config, instance, metrics: metrics !== undefined };
    worker = isTypeScript()
      ? new Worker(new URL('./typescript-thread.mjs', import.meta.url), { workerData: data })
      : new Worker(new URL('./scheduler-main.js', import.meta.url), { workerData: data });
    running = true;
    worker.on('message', (message: FromScheduler) => {
      if (message.type === 'log') log[message.level](message.msg, message.fields);
      else if (message.type === 'metric') (metrics?.[message.name] as ((...args: unknown[]) => void) | undefined)?.(...message.args);
      else if (message.type === 'started') failures = 0;
      else if (message.type === 'done') {
        answers.get(message.id)?.();
        answers.delete(message.id);
      }
    });
    worker.on('error', (error) => log.error('scheduler thread failed', { error }));
    worker.on('exit', (code) => {
      running = false;
      for (const answer of answers.values()) answer();
      answers.clear();
      if (stopping) return;
      const wait = RESTART_MS[Math.min(failures++, RESTART_MS.length - 1)]!;
      log.error('scheduler thread stopped; starting it again', { code, inMs: wait });
      restart = setTimeout(start, wait);
    });
  };
  // Nothing to ask a thread that is not running (between a failure and its restart): answered at once.
  const ask = (type: ToScheduler['type']) =>
    new Promise<void>((resolve) => {
      if (!running) return resolve();
      const id = ++asked;
      answers.set(id, resolve);
      worker.postMessage({ type, id } satisfies ToScheduler);
    });
  start();
  return {
    tick: () => ask('tick'),
    stop: async () => {
      stopping = true;
      clearTimeout(restart);
      if (!running) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      await ask('stop');
      await exited;
    },
  };
}

/** Running from the TypeScript sources (tsx, the tests), not from the bundle of bin/start.js, whose entry is scheduler-main.js beside main.js. */
function isTypeScript(): boolean {
  return import.meta.url.endsWith('.ts');
}
