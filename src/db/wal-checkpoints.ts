import { sql } from 'kysely';
import type { Logger } from '../log.ts';
import type { Db } from './create-db.ts';
import { engineOf } from './sql.ts';

/** How often the background thread copies the write-ahead log into the SQLite file. */
export const CHECKPOINT_EVERY_MS = 1_000;

/** What one checkpoint found: the pages in the log, and how many of them are in the database file now. */
export interface Checkpoint {
  logPages: number;
  copiedPages: number;
}

/**
 * One PASSIVE checkpoint: the committed pages of SQLite's write-ahead log copied into the
 * database file and that file synced, as far as no reader still needs the log; it waits for
 * no reader or writer and holds none up (sqlite.org/wal.html, "Checkpointing"). A log whose
 * pages are all copied already costs nothing.
 */
export async function checkpointWal(db: Db): Promise<Checkpoint> {
  const { rows } = await sql<{ busy: number; log: number; checkpointed: number }>`pragma wal_checkpoint(PASSIVE)`.execute(db);
  return { logPages: rows[0]?.log ?? 0, copiedPages: rows[0]?.checkpointed ?? 0 };
}

/**
 * Checkpoints every {@link CHECKPOINT_EVERY_MS} on this connection, for a thread that answers
 * nobody (the scheduler's), so that the bot's other connections can leave checkpoints to it
 * (createDb's `checkpoints: 'background'`). Left to SQLite, the commit that takes the log past
 * 1,000 pages makes the checkpoint itself, syncing the file before it returns: 10–25 ms on the
 * bench's disk for one commit in twenty, and a visit is acked once committed (issue 8), so those
 * made the visits' ack p99 (bench --load). SQLite's own advice for that case: "turn off the
 * automatic checkpoints and run checkpoints … in a separate thread" (wal.html). Nothing to do on
 * PostgreSQL, which has its own checkpointer.
 */
export function startWalCheckpoints(db: Db, log: Logger, everyMs = CHECKPOINT_EVERY_MS): { stop(): Promise<void> } {
  if (engineOf(db) !== 'sqlite') return { stop: async () => undefined };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  // A failure is logged once, not every second while it lasts (a full disk), and its end too.
  let failing = false;
  const next = () => {
    // Never what keeps the thread alive: it is stopped with the scheduler.
    if (!stopped) timer = setTimeout(run, everyMs).unref();
  };
  const run = () => {
    running = checkpointWal(db)
      .then(
        () => {
          if (failing) log.info('wal checkpoints work again');
          failing = false;
        },
        (error: unknown) => {
          if (!failing) log.warn('wal checkpoint failed; tried again every second, logged again once it works', { error });
          failing = true;
        },
      )
      .finally(() => {
        running = undefined;
        next();
      });
  };
  next();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
