/**
 * The main of Slack's answers thread (started by slack/answers-thread.ts), wiring as main.ts
 * does: its own database connection (or pool), the bot's commands, its log lines and
 * metrics sent to the thread that started it; the requests come from that thread.
 */
import { workerData } from 'node:worker_threads';
import { commands } from '../commands/index.ts';
import type { AppDeps } from './core/context.ts';
import { createDispatcher } from './core/dispatch.ts';
import { createDb } from './db/create-db.ts';
import { answerSlackRequests, type FromSlackThread, type SlackThreadData } from './slack/answers-thread.ts';
import { answerPoolAsks, lowerThisThreadsPriority, threadPort } from './thread-port.ts';

/** The answers threads' CPU priority (thread-port.ts). */
const ANSWERS_NICE = 5;

const { config, metrics: counted } = workerData as SlackThreadData;
const { post, log, metrics } = threadPort<FromSlackThread>(config.logLevel, counted);
// No turn of the event loop after each SQLite query: this thread acks only forms and menus,
// once their work is done, so a request's queries run back to back, one request after another.
// Its commits make no checkpoints: the scheduler's thread does (db/wal-checkpoints.ts).
const db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize, turnAfterEachQuery: false, checkpoints: 'background' });
const deps: AppDeps = { db, config, log, commands: createDispatcher(commands), ...(metrics && { metrics }) };
answerPoolAsks(db);
await answerSlackRequests(deps, post);
// Once warm (a busy machine's start would wait longer for its warm-up): below the main thread,
// which acks every request as it comes (Slack's 3 s), above the scheduler's.
lowerThisThreadsPriority(ANSWERS_NICE);
