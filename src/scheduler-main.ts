/**
 * The main of the scheduler's thread (started by scheduler/thread.ts), wiring as main.ts
 * does: its own database connection, its own posters, the jobs of scheduler.ts every
 * minute. Log lines and metrics go to the thread that started it; `tick` and `stop` come
 * from it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { commands } from '../commands/index.ts';
import type { AppDeps } from './core/context.ts';
import { createDispatcher } from './core/dispatch.ts';
import type { Metrics } from './core/metrics.ts';
import { createDb } from './db/create-db.ts';
import { LOG_LEVELS, serializeError, type Logger, type LogLevel } from './log.ts';
import { createOutbox } from './outbox.ts';
import { startScheduler } from './scheduler/scheduler.ts';
import type { FromScheduler, SchedulerThreadData, ToScheduler } from './scheduler/thread.ts';

/** At most this many PostgreSQL connections for the scheduler: it sends one digest at a time. */
const POOL_SIZE = 2;

const port = parentPort!;
const { config, instance, metrics: counted } = workerData as SchedulerThreadData;
const post = (message: FromScheduler) => port.postMessage(message);

// Lines below LOG_LEVEL are dropped here rather than copied to the other thread to be dropped there.
const line = (level: LogLevel) =>
  LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(config.logLevel) ? () => undefined : (msg: string, fields?: Record<string, unknown>) => post({ type: 'log', level, msg, ...(fields && { fields: cloneable(fields) }) });
const log: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
const metrics = counted
  ? (new Proxy({}, { get: (_, name) => (...args: unknown[]) => post({ type: 'metric', name: name as keyof Metrics, args }) }) as Metrics)
  : undefined;

const db = createDb(config.databaseUrl, { poolSize: Math.min(POOL_SIZE, config.databasePoolSize) });
const deps: AppDeps = { db, config, log, commands: createDispatcher(commands), ...(metrics && { metrics }) };
const scheduler = startScheduler({ ...deps, outbox: await createOutbox(deps), instance });
post({ type: 'started' });

port.on('message', async ({ type, id }: ToScheduler) => {
  if (type === 'tick') {
    await scheduler.tick();
    post({ type: 'done', id });
    return;
  }
  await scheduler.stop();
  await db.destroy();
  post({ type: 'done', id });
  port.close();
});

/**
 * A log line's fields as the other thread can receive them: an error as the log writes it
 * (serializeError: its type, message, code and stack, never the data it carries), anything
 * else that cannot be copied as text. Redaction happens there, in the one logger.
 */
function cloneable(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => {
      if (value instanceof Error) return [key, serializeError(value)];
      try {
        structuredClone(value);
        return [key, value];
      } catch {
        return [key, String(value)];
      }
    }),
  );
}
