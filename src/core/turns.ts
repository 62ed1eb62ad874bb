/**
 * One person's requests worked on one at a time, in the order they came.
 *
 * The adapters acknowledge at once and work after (Slack's 3 s), and the database
 * lets other requests run while a query waits, so two commands a person sends at
 * the same instant — `account add Acme` then `contact add … Acme`, or a visit saved
 * and the Home tab it refreshes — would otherwise interleave, and the second could
 * miss what the first is writing. Each request takes its place in its person's line
 * as it arrives; its work waits for the one before (never its ack), and lets the
 * next go when done or when it {@link Turn.release}s early (a picture still being
 * drawn need not hold up the next command).
 *
 * @example
 *   const turn = turns.take('T1:U1');
 *   await ack();
 *   await turn.ready;
 *   … answer …
 *   turn.release();
 */
export interface Turn {
  /** Settles when the person's previous request has finished (or {@link TURN_WAIT_MS} passed). */
  ready: Promise<void>;
  /** Lets the person's next request go; later calls do nothing. */
  release(): void;
}

/**
 * How long a request waits for the one before it at most: a request stuck on a call
 * that never answers must not hold its person's commands for ever.
 */
export const TURN_WAIT_MS = 10_000;

export interface Turns {
  /** A place in `person`'s line, taken now. */
  take(person: string): Turn;
  /** How many people have a request waiting or in progress (the tests check that an emptied line is forgotten). */
  readonly size: number;
}

export function createTurns(waitMs = TURN_WAIT_MS): Turns {
  // The last request's "finished" per person; removed when that line empties.
  const tails = new Map<string, Promise<void>>();
  return {
    take(person) {
      const before = tails.get(person);
      const ready = before ? waitAtMost(before, waitMs) : Promise.resolve();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // Finished means its turn came and it let go: one released early does not let the next past the one before it.
      const finished = ready.then(() => released);
      tails.set(person, finished);
      void finished.then(() => {
        if (tails.get(person) === finished) tails.delete(person);
      });
      return { ready, release };
    },
    get size() {
      return tails.size;
    },
  };
}

function waitAtMost(before: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([before, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms).unref()))]).finally(() => clearTimeout(timer));
}
