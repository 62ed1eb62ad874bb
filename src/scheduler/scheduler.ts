import cron from 'node-cron';
import { sendDueDigests } from './jobs/send-digests.ts';
import { sendDueReminders } from './jobs/send-reminders.ts';
import { sendMeetingLoop } from './jobs/send-meeting-loop.ts';
import type { JobDeps } from './jobs/job.ts';

export interface Scheduler {
  /** Runs the jobs once now (start-up catch-up, tests). */
  tick(): Promise<void>;
  /** Stops the clock and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * node-cron wakes the jobs every minute; what is due is computed from the database
 * each time, so nothing is lost to a restart and a missed period is caught up at
 * start-up (within 24 hours). Runs never overlap.
 */
export function startScheduler(deps: JobDeps, clock: () => Date = () => new Date()): Scheduler {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= (async () => {
      const now = clock();
      for (const job of [sendDueDigests, sendDueReminders, sendMeetingLoop]) {
        try {
          const report = await job(deps, now);
          if (report.sent.length + report.failed.length > 0) deps.log.info('scheduled sends', { job: job.name, ...report });
        } catch (error) {
          deps.log.error('scheduled job failed', { job: job.name, error });
        }
      }
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  const task = cron.schedule('* * * * *', () => tick(), { noOverlap: true });
  void tick();
  return {
    tick,
    stop: async () => {
      await task.stop();
      await running;
    },
  };
}
