import { buildReminders } from '../../core/reminders.ts';
import { findDelivery, takeDelivery, markDelivered, markFailed, markSkipped } from '../../db/delivery.repository.ts';
import { peopleWithRemindersOff } from '../../db/reminder.repository.ts';
import { todayIn } from '../../domain/dates.ts';
import { isWorkingDay, zonedInstant } from '../../domain/schedule.ts';
import { botContext, countClaim, emptyReport, type JobDeps, type JobReport } from './job.ts';
import { messageOf } from '../../log.ts';
import { noMetrics } from '../../core/metrics.ts';

/** When personal reminders go out, on working days, in `MCR_TIMEZONE`. */
export const REMINDER_TIME = '09:00';

/**
 * Personal reminders (issue 7): once a working day from `REMINDER_TIME` in
 * `MCR_TIMEZONE`, one direct message to each person with something due who has not
 * turned reminders off. One claim for the day's run (so one instance builds them) and
 * one per person and day (so nobody gets two, whatever crashes).
 */
export async function sendDueReminders(deps: JobDeps, now: Date): Promise<JobReport> {
  const report = emptyReport();
  const zone = deps.config.timezone;
  const today = todayIn(zone, now);
  if (!isWorkingDay(today) || now.getTime() < zonedInstant(today, REMINDER_TIME, zone).getTime()) return report;
  const runKey = `reminders:${today}`;
  const run = await findDelivery(deps.db, runKey);
  if (run?.status === 'sent') return report;
  const lease = deps.config.claimLeaseMs;
  const metrics = deps.metrics ?? noMetrics;
  const claim = (key: string) => deps.db.transaction().execute((trx) => takeDelivery(trx, key, deps.instance, now, lease));
  const runClaim = await claim(runKey);
  if (!runClaim) return report;
  countClaim(metrics, 'reminder', runClaim);
  try {
    const ctx = botContext(deps, now, today, deps.config.language, zone);
    const off = await peopleWithRemindersOff(deps.db);
    for (const [personId, { person, reply }] of await buildReminders(ctx, today)) {
      if (off.has(personId)) continue;
      const key = `remind:${personId}:${today}`;
      const claimed = await claim(key);
      if (!claimed) continue;
      countClaim(metrics, 'reminder', claimed);
      try {
        let reached = false;
        for (const poster of [deps.outbox.slack, deps.outbox.teams]) {
          if (poster && !reached) reached = await poster.toPerson(person, reply);
        }
        if (reached) {
          await markDelivered(deps.db, key, new Date());
          report.sent.push(key);
          metrics.delivery('reminder', 'sent');
        } else {
          // No platform knows them (yet): nothing to retry today.
          await markSkipped(deps.db, key, 'no chat platform reaches this person', now);
          report.skipped.push(key);
          metrics.delivery('reminder', 'skipped');
        }
      } catch (error) {
        await markFailed(deps.db, key, messageOf(error), now);
        report.failed.push(key);
        metrics.delivery('reminder', 'failed');
      }
    }
    await markDelivered(deps.db, runKey, new Date());
  } catch (error) {
    await markFailed(deps.db, runKey, messageOf(error), now);
    deps.log.warn('reminders not built', { day: today, error });
  }
  return report;
}
