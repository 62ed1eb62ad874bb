import type { Reply } from './reply.ts';

/**
 * What the bot counts (issue 17), as a port: the core, the scheduler and the import
 * call it; src/metrics/prometheus.ts implements it with prom-client, and without
 * `METRICS_TOKEN` nothing is counted ({@link noMetrics}). Every label value passed
 * here is from a closed list (command and form ids of commands/index.ts, or
 * `unknown`): never what a user typed.
 *
 * @example
 * ctx.metrics.request('slack', 'brief', 'ok', 0.012);
 */
export interface Metrics {
  /** A typed command or a form submission handled, and how long the core took. `command`: its name, or `unknown`. */
  request(via: Via, command: string, outcome: Outcome, seconds: number): void;
  /** A form submitted (a modal, a card, the console's questions, the CLI's flags). `form`: its id, or `unknown`. */
  formSubmitted(via: Via, form: string, outcome: Outcome): void;
  /** A scheduled send finished: posted, failed (retried later or given up), or skipped (too late, no one to reach). */
  delivery(kind: DeliveryKind, outcome: 'sent' | 'failed' | 'skipped'): void;
  /** A claimed send is an attempt again after a failure (its backoff ran out). */
  deliveryRetried(kind: DeliveryKind): void;
  /** A claim whose holder's lease ran out (it died between claim and send) was taken over. */
  claimTakenOver(kind: DeliveryKind): void;
  /** A CSV file imported (its rows by what became of them), or refused (nothing written). */
  imported(kind: string, result: { created: number; updated: number; unchanged: number } | 'rejected'): void;
}

/** Where a request came in: the metrics' `channel` label, and in every log line of it. */
export type Via = 'slack' | 'teams' | 'console' | 'cli' | 'scheduler';

/**
 * How a request ended: `ok`; `invalid` (refused with a message: bad input, an unknown
 * name, no access); `error` (the apology, or the database unavailable); `duplicate`
 * (a retried or double-clicked submission, answered from the first one).
 */
export type Outcome = 'ok' | 'invalid' | 'error' | 'duplicate';

export type DeliveryKind = 'digest' | 'reminder';

/** Counts nothing: metrics are off (no `METRICS_TOKEN`), the CLI, tests. */
export const noMetrics: Metrics = {
  request: () => undefined,
  formSubmitted: () => undefined,
  delivery: () => undefined,
  deliveryRetried: () => undefined,
  claimTakenOver: () => undefined,
  imported: () => undefined,
};

/** The outcome of a reply from the dispatcher (replies carry `status`, and on error its code in `data.error`). */
export function outcomeOf(reply: Reply): Outcome {
  if (reply.replayed) return 'duplicate';
  if (reply.status !== 'error') return 'ok';
  const code = (reply.data as { error?: unknown } | undefined)?.error;
  return code === 'unexpected' || code === 'db.unavailable' ? 'error' : 'invalid';
}
