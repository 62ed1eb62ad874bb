import { startBotThread, type BotThread } from '../bot-thread.ts';
import type { Config } from '../config.ts';
import type { Metrics } from '../core/metrics.ts';
import { withFields, type Logger } from '../log.ts';
import type { Scheduler } from './scheduler.ts';

/** What the scheduler's thread starts with (copied to it: plain data). */
export interface SchedulerThreadData {
  config: Config;
  instance: string;
  /** Whether the starting thread counts metrics (else none are sent back). */
  metrics: boolean;
}

/**
 * The scheduler on a thread of its own (issue 19 part 2): building 500 digests is half a
 * minute of CPU on a busy Monday, and on the thread that answers Slack it held every ack
 * and reply behind it (bench --load: ack p99 1.65 s with the digests, 48 ms without).
 * The thread (scheduler-main.ts) opens its own database connection and posts through its
 * own Web API client; what is due is still decided by the claims in the database, so
 * nothing is sent twice whichever thread or process sends it. Asked to `tick`, it runs the
 * jobs now; a thread that dies is started again (bot-thread.ts).
 */
/** The scheduler on its thread, whose database pool /metrics reads. */
export type SchedulerThread = Scheduler & Pick<BotThread<never>, 'pool'>;

export function startSchedulerThread(config: Config, instance: string, processLog: Logger, metrics?: Metrics): SchedulerThread {
  const data: SchedulerThreadData = { config, instance, metrics: metrics !== undefined };
  const thread = startBotThread({ entry: 'scheduler-main', data, log: withFields(processLog, { thread: 'scheduler' }), ...(metrics && { metrics }) });
  return { tick: () => thread.ask('tick'), pool: () => thread.pool(), stop: () => thread.stop() };
}
