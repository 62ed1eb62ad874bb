import { writeAudit } from '../db/audit.repository.ts';
import type { Trx } from '../db/create-db.ts';
import { claimSubmission, findSubmission, storeSubmissionReply } from '../db/submission.repository.ts';
import type { Context } from './command.ts';
import type { Reply } from './reply.ts';
import { t } from '../i18n/index.ts';

export interface Writer {
  trx: Trx;
  /** One audit line (who, when, what), in the same transaction as the change. */
  audit(action: string, entity: string, entityId: number | null, detail?: unknown): Promise<void>;
}

/**
 * Runs a command's writes as one transaction with their audit lines: all or nothing.
 * When the adapter set a submission key (a Slack view, a Teams card), a retried or
 * double-clicked submit finds the key claimed and gets the first reply back, so the
 * write happens once.
 */
export async function transact(ctx: Context, command: string, work: (w: Writer) => Promise<Reply>): Promise<Reply> {
  return ctx.db.transaction().execute(async (trx) => {
    const key = ctx.submissionKey;
    if (key) {
      const earlier = await claimSubmission(trx, key, command, ctx.now);
      if (earlier) return replayOf(ctx, earlier);
    }
    const writer: Writer = {
      trx,
      audit: (action, entity, entityId, detail) => writeAudit(trx, { actorId: ctx.actor.id, action, entity, entityId, detail }, ctx.now),
    };
    const reply = await work(writer);
    if (key) await storeSubmissionReply(trx, key, JSON.stringify(reply));
    return reply;
  });
}

/**
 * The first answer to this submission when it was saved already (a retry or a double
 * click), for the checks that run before `transact`: the second `account add` of the
 * same submission must get the first's success, not "already exists" about the
 * account the first created.
 */
export async function earlierReply(ctx: Context): Promise<Reply | undefined> {
  if (!ctx.submissionKey) return undefined;
  const earlier = await findSubmission(ctx.db, ctx.submissionKey);
  return earlier && replayOf(ctx, earlier);
}

// A reply blanked by `forget` (it may have named the person): the write still happened once.
const replayOf = (ctx: Context, earlier: { reply: string | null }): Reply => ({ ...(earlier.reply ? (JSON.parse(earlier.reply) as Reply) : alreadySaved(ctx)), replayed: true });

const alreadySaved = (ctx: Context): Reply => ({ blocks: [{ type: 'text', text: t(ctx.locale, 'submission.already_saved') }], visibility: 'private' });
