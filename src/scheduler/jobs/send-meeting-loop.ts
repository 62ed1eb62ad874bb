import { runLine } from '../../core/dispatch.ts';
import { followUpReply, planViews } from '../../core/meetings.ts';
import type { Reply } from '../../core/reply.ts';
import { findDelivery, markDelivered, markFailed, markSkipped, takeDelivery } from '../../db/delivery.repository.ts';
import { findPersonById } from '../../db/person.repository.ts';
import { listPlannedVisits } from '../../db/planned-visit.repository.ts';
import { addDays, todayIn } from '../../domain/dates.ts';
import { briefKey, briefWindow, followUpAt, followUpKey, type PlannedVisit } from '../../domain/meetings.ts';
import type { Person } from '../../domain/types.ts';
import { localeFromTag } from '../../i18n/index.ts';
import { messageOf } from '../../log.ts';
import { noMetrics } from '../../core/metrics.ts';
import { CATCH_UP_LIMIT_MS } from './send-digests.ts';
import { REMINDER_TIME } from './send-reminders.ts';
import { botContext, countClaim, emptyReport, type JobDeps, type JobReport } from './job.ts';

/**
 * The meeting loop (issue 18 part 2), for every planned visit still `planned`:
 * - the morning brief: from `REMINDER_TIME` on the plan's day (an hour before a meeting
 *   that starts earlier), a direct message to its owner with the account's brief, the
 *   planned contacts first (`visit brief #id`); a plan made later that day is briefed at
 *   once while the meeting is still ahead; after it starts, not at all;
 * - the after-meeting prompt: two hours after the planned time (17:00 local when none),
 *   "How did the meeting at Acme go?" with a Log visit button (`visit log #id`); more
 *   than 24 h late (the bot was down) it is skipped.
 * Exactly once across restarts and instances: a claim per send in `deliveries`, keyed by
 * the plan's id and day (and time for the prompt), so a moved plan is sent again and a
 * logged or cancelled one is not (it is no longer listed). Counted as `reminder` sends.
 */
export async function sendMeetingLoop(deps: JobDeps, now: Date): Promise<JobReport> {
  const report = emptyReport();
  const zone = deps.config.timezone;
  const today = todayIn(zone, now);
  // Yesterday's too: a prompt at 23:00 + 2 h comes the next day.
  const plans = await listPlannedVisits(deps.db, { status: 'planned', from: addDays(today, -1), to: today });
  for (const plan of plans) {
    const brief = briefWindow(plan, REMINDER_TIME, zone);
    if (now >= brief.from) {
      await sendOnce(deps, now, briefKey(plan), report, now < brief.until ? undefined : 'the meeting had started', () => morningBrief(deps, now, plan));
    }
    const at = followUpAt(plan, zone);
    if (now >= at) {
      await sendOnce(deps, now, followUpKey(plan), report, now.getTime() - at.getTime() > CATCH_UP_LIMIT_MS ? 'more than 24 h late' : undefined, () => followUp(deps, now, plan));
    }
  }
  return report;
}

type Built = { person: Person; reply: Reply } | undefined;

/** Claims `key`, builds and sends to the plan's owner; `late`: recorded as skipped instead. */
async function sendOnce(deps: JobDeps, now: Date, key: string, report: JobReport, late: string | undefined, build: () => Promise<Built>): Promise<void> {
  const metrics = deps.metrics ?? noMetrics;
  const known = await findDelivery(deps.db, key);
  if (known && (known.status === 'sent' || known.status === 'skipped')) return;
  if (late !== undefined && !known) {
    if (await markSkipped(deps.db, key, late, now)) {
      report.skipped.push(key);
      metrics.delivery('reminder', 'skipped');
    }
    return;
  }
  const claimed = await deps.db.transaction().execute((trx) => takeDelivery(trx, key, deps.instance, now, deps.config.claimLeaseMs));
  if (!claimed) return;
  countClaim(metrics, 'reminder', claimed);
  try {
    const built = await build();
    let reached = false;
    for (const poster of built ? [deps.outbox.slack, deps.outbox.teams] : []) {
      if (poster && !reached) reached = await poster.toPerson(built!.person, built!.reply);
    }
    if (reached) {
      await markDelivered(deps.db, key, new Date());
      report.sent.push(key);
      metrics.delivery('reminder', 'sent');
    } else {
      await markSkipped(deps.db, key, built ? 'no chat platform reaches this person' : 'the plan or its owner is gone', now);
      report.skipped.push(key);
      metrics.delivery('reminder', 'skipped');
    }
  } catch (error) {
    const retryAt = await markFailed(deps.db, key, messageOf(error), now);
    deps.log.warn('meeting message not sent', { key, error: messageOf(error), retryAt: retryAt?.toISOString() ?? 'given up' });
    report.failed.push(key);
    metrics.delivery('reminder', 'failed');
  }
}

/** The owner and a context in their language (the bot acting, as for every scheduled send). */
async function ownerContext(deps: JobDeps, now: Date, plan: PlannedVisit) {
  const person = await findPersonById(deps.db, plan.ownerId);
  if (!person) return undefined;
  const zone = deps.config.timezone;
  const ctx = botContext(deps, now, todayIn(zone, now), localeFromTag(person.locale, deps.config.language), zone);
  return { person, ctx };
}

async function morningBrief(deps: JobDeps, now: Date, plan: PlannedVisit): Promise<Built> {
  const owner = await ownerContext(deps, now, plan);
  if (!owner) return undefined;
  // The same reply as `visit brief #id` typed by its owner: the account's brief, planned contacts first, with their suggestions (§10).
  const reply = await runLine(owner.ctx, `visit brief #${plan.id}`);
  if (reply.status === 'error') throw new Error(`the brief of planned visit #${plan.id} could not be built`);
  return { person: owner.person, reply };
}

async function followUp(deps: JobDeps, now: Date, plan: PlannedVisit): Promise<Built> {
  const owner = await ownerContext(deps, now, plan);
  if (!owner) return undefined;
  const [view] = await planViews(deps.db, [plan]);
  return { person: owner.person, reply: followUpReply(owner.ctx.locale, view!) };
}
