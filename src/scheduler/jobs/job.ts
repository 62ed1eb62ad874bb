import type { Context } from '../../core/command.ts';
import { contextFor, type AppDeps } from '../../core/context.ts';
import type { DeliveryKind, Metrics } from '../../core/metrics.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { Locale } from '../../i18n/index.ts';
import type { Outbox } from '../../core/outbox.ts';

/** What a scheduled job is given: the app's deps, where to post, and who this instance is. */
export interface JobDeps extends AppDeps {
  outbox: Outbox;
  /** This process's name on the claims it takes (host and pid, or a test's label). */
  instance: string;
}

/** What one run of a job did, for logs, `mcr digest run` and tests. */
export interface JobReport {
  sent: string[];
  skipped: string[];
  failed: string[];
}

export const emptyReport = (): JobReport => ({ sent: [], skipped: [], failed: [] });

/** The bot itself, acting for no one: reads everything, in the language and day given. */
export function botContext(deps: AppDeps, now: Date, today: IsoDate, locale: Locale, timezone: string): Context {
  const bot = { id: 0, name: 'MCR Bot', email: null, slackId: null, teamsId: null, locale };
  return { ...contextFor(deps, bot, { now, locale, isAdmin: true, via: 'scheduler' }), today, timezone };
}

/** A won claim in the metrics: a takeover of a dead holder's claim, or a retry of a failed send. */
export function countClaim(metrics: Metrics, kind: DeliveryKind, how: 'new' | 'taken_over' | 'retry'): void {
  if (how === 'taken_over') metrics.claimTakenOver(kind);
  if (how === 'retry') metrics.deliveryRetried(kind);
}
