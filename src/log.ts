import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type DestinationStream } from 'pino';

/** Structured logs: one JSON object a line on stderr (pino), filtered by `LOG_LEVEL`. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The one logging interface of the app. Personal data (names, emails, free text such
 * as summaries and notes, what a user typed) goes only into `debug` lines; above it,
 * log ids, command names, codes and counts. Keys that usually carry personal data or
 * secrets are masked anyway ({@link REDACTED_KEYS}).
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** The same logger with these fields on every line (a request's id). */
  child?(fields: Record<string, unknown>): Logger;
}

/**
 * A safety net, not the policy: fields with these names are written as "[redacted]"
 * at any level and one level down (`{ contact: { name } }`). Log them under another
 * key at debug when they are needed to debug.
 */
export const REDACTED_KEYS = ['text', 'name', 'email', 'summary', 'notes', 'birthday', 'title', 'purpose', 'token', 'password', 'secret', 'authorization', 'cookie'] as const;

export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  // Synchronous writes to stderr: a line logged just before a crash or an exit is not lost.
  const destination: DestinationStream = write ? { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) } : pino.destination({ dest: 2, sync: true });
  const logger = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: serializeError, err: serializeError },
      redact: { paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]), censor: '[redacted]' },
    },
    destination,
  );
  return wrap(logger);
}

function wrap(logger: pino.Logger): Logger {
  return {
    debug: (msg, fields) => logger.debug(fields ?? {}, msg),
    info: (msg, fields) => logger.info(fields ?? {}, msg),
    warn: (msg, fields) => logger.warn(fields ?? {}, msg),
    error: (msg, fields) => logger.error(fields ?? {}, msg),
    child: (fields) => wrap(logger.child(fields)),
  };
}

/** `log` with `fields` on every line: pino's child logger, or a wrapper for other loggers (tests' fakes). */
export function withFields(log: Logger, fields: Record<string, unknown>): Logger {
  if (log.child) return log.child(fields);
  return {
    debug: (msg, more) => log.debug(msg, { ...fields, ...more }),
    info: (msg, more) => log.info(msg, { ...fields, ...more }),
    warn: (msg, more) => log.warn(msg, { ...fields, ...more }),
    error: (msg, more) => log.error(msg, { ...fields, ...more }),
  };
}

/**
 * An error as its type, message, code and stack, and its cause's. Nothing else it
 * carries is written: a PostgreSQL error's `detail` ("Key (name)=(Tom Baker) already
 * exists"), `parameters` or `where`, an HTTP client error's request and response
 * bodies (a posted message) hold the data the log must not.
 */
export function serializeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value;
  const code = (value as { code?: unknown }).code;
  const cause = (value as { cause?: unknown }).cause;
  return {
    type: value.constructor?.name ?? value.name,
    message: value.message,
    ...((typeof code === 'string' || typeof code === 'number') && { code }),
    stack: process.sourceMapsEnabled || value.stack === undefined ? value.stack : sourceMappedStack(value.stack),
    ...(cause instanceof Error && depth < 3 && { cause: serializeError(cause, depth + 1) }),
  };
}

/** Each bundle file's source map, read when a stack first names the file (null: it has none). */
const sourceMaps = new Map<string, SourceMap | null>();

/**
 * A stack whose frames in a bundle file (bin/start.js's, which has its `.map` beside it) name
 * the source line instead, as Node's own source maps print them (`/…/src/slack/app.ts:12:5`).
 * For the threads the bot starts: bin/start.js turns source maps on for the main thread only,
 * since a worker does not inherit that and reading the maps at its start costs each thread
 * ~0.1 s; here a map is read only when an error is logged, once per file. Frames without a
 * map, or that it does not cover, stay as they were.
 */
export function sourceMappedStack(stack: string): string {
  return stack.replace(/\bfile:\/\/[^\s()]+?\.js:(\d+):(\d+)/g, (frame, line: string, column: string) => {
    const file = fileURLToPath(frame.slice(0, frame.length - line.length - column.length - 2));
    if (!sourceMaps.has(file)) {
      try {
        sourceMaps.set(file, new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))));
      } catch {
        sourceMaps.set(file, null);
      }
    }
    const origin = sourceMaps.get(file)?.findOrigin(Number(line), Number(column));
    if (!origin || !('fileName' in origin)) return frame;
    const source = origin.fileName.startsWith('file:') ? fileURLToPath(origin.fileName) : resolve(dirname(file), origin.fileName);
    return `${source}:${origin.lineNumber}:${origin.columnNumber}`;
  });
}

/** A new request id: short enough to read out to support, in the apology and in every log line of the request. */
export const newRequestId = (): string => randomBytes(4).toString('hex');

/** An error's message, for logs and stored errors that should not carry a stack. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
