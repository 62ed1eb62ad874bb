/**
 * The main of the scheduler's thread (started by scheduler/thread.ts), wiring as main.ts
 * does: its own database connection, its own posters, the jobs of scheduler.ts every
 * minute. Log lines and metrics go to the thread that started it; `tick`, `pool` (for its
 * /metrics) and `stop` come from it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { commands } from '../commands/index.ts';
import type { AskThread } from './bot-thread.ts';
import type { AppDeps } from './core/context.ts';
import { createDispatcher } from './core/dispatch.ts';
import { createDb } from './db/create-db.ts';
import { startWalCheckpoints } from './db/wal-checkpoints.ts';
import { createOutbox } from './outbox.ts';
import { startScheduler } from './scheduler/scheduler.ts';
import type { SchedulerThreadData } from './scheduler/thread.ts';
import { answerPoolAsks, lowerThisThreadsPriority, threadPort } from './thread-port.ts';

/** At most this many PostgreSQL connections for the scheduler: it sends one digest at a time. */
const POOL_SIZE = 2;
/** The scheduler's CPU priority, below the threads that answer people (thread-port.ts). */
const SCHEDULER_NICE = 10;

const { config, instance, metrics: counted } = workerData as SchedulerThreadData;
// A digest may go out seconds after it fell due (its goal: within its minute); an ack may not wait.
lowerThisThreadsPriority(SCHEDULER_NICE);
const { post, log, metrics } = threadPort(config.logLevel, counted);

const db = createDb(config.databaseUrl, { poolSize: Math.min(POOL_SIZE, config.databasePoolSize) });
const deps: AppDeps = { db, config, log, commands: createDispatcher(commands), ...(metrics && { metrics }) };
answerPoolAsks(db);
// The checkpoints of the bot's SQLite file, which the threads that answer people leave to this one.
const checkpoints = startWalCheckpoints(db, log);
const scheduler = startScheduler({ ...deps, outbox: await createOutbox(deps), instance });
post({ type: 'started' });

parentPort!.on('message', async ({ type, id }: AskThread) => {
  if (type === 'tick') {
    await scheduler.tick();
    post({ type: 'done', id });
    return;
  }
  // `pool` is answered by answerPoolAsks.
  if (type !== 'stop') return;
  await scheduler.stop();
  await checkpoints.stop();
  await db.destroy();
  post({ type: 'done', id });
  parentPort!.close();
});
