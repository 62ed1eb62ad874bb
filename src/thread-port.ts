import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { AskThread, FromThread } from './bot-thread.ts';
import type { Metrics } from './core/metrics.ts';
import { poolStats, type Db } from './db/create-db.ts';
import { LOG_LEVELS, serializeError, type Logger, type LogLevel } from './log.ts';

/**
 * Inside a thread of the bot (bot-thread.ts): its logger and metrics, which send each line
 * and count to the thread that started it, and `post` for its own messages. Lines below
 * `logLevel` are dropped here rather than copied to be dropped there; metrics only when the
 * starting thread counts them.
 */
export function threadPort<From>(logLevel: LogLevel, counted: boolean): { post: (message: FromThread | From) => void; log: Logger; metrics?: Metrics } {
  const port = parentPort!;
  const post = (message: FromThread | From) => port.postMessage(message);
  const line = (level: LogLevel) =>
    LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(logLevel) ? () => undefined : (msg: string, fields?: Record<string, unknown>) => post({ type: 'log', level, msg, ...(fields && { fields: cloneable(fields) }) });
  const log: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const metrics = counted
    ? (new Proxy({}, { get: (_, name) => (...args: unknown[]) => post({ type: 'metric', name: name as keyof Metrics, args }) }) as Metrics)
    : undefined;
  return { post, log, ...(metrics && { metrics }) };
}

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

/**
 * This thread's CPU priority lowered to `nice` (0 normal, 19 lowest), for work that can wait a
 * little while the main thread acks requests: on Linux a thread has its own nice value (its id
 * is the last part of /proc/thread-self); elsewhere the thread runs at the process's priority.
 */
export function lowerThisThreadsPriority(nice: number): void {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), nice);
  } catch {
    // Not Linux, or no /proc.
  }
}

/** Answers the thread that started this one when it asks for this thread's database pool (its /metrics). */
export function answerPoolAsks(db: Db): void {
  parentPort!.on('message', (message: AskThread) => {
    if (message.type === 'pool') parentPort!.postMessage({ type: 'done', id: message.id, pool: poolStats(db) } satisfies FromThread);
  });
}
