import { digestParts, digestReply } from '../../core/digest.ts';
import { findDelivery, takeDelivery, markDelivered, markFailed, markPartsSent, markSkipped } from '../../db/delivery.repository.ts';
import { listSubscriptions, recordDigestError, recordDigestSent, type DigestSubscription } from '../../db/digest.repository.ts';
import { lastSlot, previousSlot, type Slot } from '../../domain/schedule.ts';
import { NotConfiguredError } from '../../core/outbox.ts';
import { botContext, countClaim, emptyReport, type JobDeps, type JobReport } from './job.ts';
import { messageOf } from '../../log.ts';
import { noMetrics } from '../../core/metrics.ts';

/** A period more than this late (the bot was down) is skipped with a log line rather than sent. */
export const CATCH_UP_LIMIT_MS = 24 * 60 * 60_000;

/**
 * Sends every digest whose period is due at `now`, exactly once per (subscription,
 * period): what is due is computed from the database; the claim row is written in
 * the transaction that decides to send; a claim whose holder died is taken over when
 * its lease runs out; a failed send is retried with backoff and shown in `digest list`.
 */
export async function sendDueDigests(deps: JobDeps, now: Date): Promise<JobReport> {
  const report = emptyReport();
  const metrics = deps.metrics ?? noMetrics;
  for (const sub of await listSubscriptions(deps.db)) {
    const slot = lastSlot(sub.schedule, now);
    // A channel subscribed after this slot starts with the next one.
    if (slot.at.getTime() < Date.parse(sub.createdAt)) continue;
    const key = `digest:${sub.id}:${slot.key}`;
    const known = await findDelivery(deps.db, key);
    if (known && (known.status === 'sent' || known.status === 'skipped')) continue;
    if (!known && now.getTime() - slot.at.getTime() > CATCH_UP_LIMIT_MS) {
      if (await markSkipped(deps.db, key, 'more than 24 h late', now)) {
        deps.log.warn('digest skipped: its period passed more than 24 h ago (the bot was down)', { subscription: sub.id, channel: `${sub.platform}:${sub.channelId}`, period: slot.key });
        report.skipped.push(key);
        metrics.delivery('digest', 'skipped');
      }
      continue;
    }
    const claimed = await deps.db.transaction().execute((trx) => takeDelivery(trx, key, deps.instance, now, deps.config.claimLeaseMs));
    if (!claimed) continue;
    countClaim(metrics, 'digest', claimed);
    try {
      await send(deps, sub, slot, now, key);
      await markDelivered(deps.db, key, new Date());
      await recordDigestSent(deps.db, sub.id, new Date());
      report.sent.push(key);
      metrics.delivery('digest', 'sent');
    } catch (error) {
      const message = messageOf(error);
      const retryAt = await markFailed(deps.db, key, message, now);
      await recordDigestError(deps.db, sub.id, message, now);
      deps.log.warn('digest not sent', { subscription: sub.id, period: slot.key, error: message, retryAt: retryAt?.toISOString() ?? 'given up' });
      report.failed.push(key);
      metrics.delivery('digest', 'failed');
    }
  }
  return report;
}

async function send(deps: JobDeps, sub: DigestSubscription, slot: Slot, now: Date, key: string): Promise<void> {
  const poster = deps.outbox[sub.platform];
  if (!poster) throw new NotConfiguredError(sub.platform);
  // "This week" is in the subscription's zone: the period runs from the previous slot's day to this one's.
  const ctx = botContext(deps, now, slot.date, sub.locale, sub.schedule.timezone);
  const period = { frequency: sub.schedule.frequency, from: previousSlot(sub.schedule, slot).date, to: slot.date };
  // A digest split into several messages that failed part-way goes on where it stopped (read
  // after the claim: an earlier holder may have posted more until its lease ran out).
  const sent = (await findDelivery(deps.db, key))?.partsSent ?? 0;
  // Built, rendered and posted a part (1,000 accounts) at a time, never the whole digest at
  // once; the messages are counted across the parts, so a retry skips what was posted.
  let before = 0;
  for await (const part of digestParts(ctx, sub.scope, period)) {
    const start = before;
    before += await poster.toChannel(sub.channelId, digestReply(ctx, part), { sent: Math.max(0, sent - start), onSent: (n) => markPartsSent(deps.db, key, start + n) });
  }
}
