import { claimUndo, findUndo, readState, sameState, writeState } from '../src/db/undo.repository.ts';
import { defineCommand } from '../src/core/command.ts';
import { AppError } from '../src/core/errors.ts';
import { transact } from '../src/core/transact.ts';
import { UNDO_MINUTES } from '../src/core/undo.ts';
import { t, type MessageKey } from '../src/i18n/index.ts';

/**
 * `undo <token>`: takes back a write (a visit logged, edited or deleted; a rating; a next
 * step done, edited or deleted) within UNDO_MINUTES, for whoever made it. The record's
 * rows go back to what they were, with the same ids. Pressing Undo twice undoes once;
 * a record changed since (by anyone) is left alone.
 */
export const undo = defineCommand({
  name: 'undo',
  usage: 'undo <token>',
  grammar: { subject: { name: 'token', required: true } },
  summary: 'cmd.undo.summary',
  examples: ['undo 3fa9c1d2e4'],
  run: async (ctx, args) => {
    const token = args.positional[0]?.toLowerCase();
    if (!token || args.positional.length > 1) throw new AppError('command.usage', { usage: undo.usage });
    const found = await findUndo(ctx.db, token);
    // Unknown, run out, or cleared by `forget`: the same answer, as the token names nothing we can act on.
    if (!found || found.expiresAt < ctx.now.toISOString()) throw new AppError('undo.expired', { minutes: UNDO_MINUTES });
    if (found.actorId !== ctx.actor.id) throw new AppError('undo.not_yours');
    const what = t(ctx.locale, `undo.what.${found.action}` as MessageKey, { id: found.entityId });
    return transact(ctx, 'undo', async (w) => {
      // The claim comes first: a second press waits for the first and then finds it used.
      if (!(await claimUndo(w.trx, token, ctx.now))) return { blocks: [{ type: 'text', text: t(ctx.locale, 'undo.already', { what }) }], visibility: 'private', data: { undone: false, already: true } };
      if (!sameState(await readState(w.trx, found.entity, found.entityId), found.after)) throw new AppError('undo.changed', { what });
      await writeState(w.trx, found.entity, found.entityId, found.before);
      await w.audit(`${found.entity}.undo`, found.entity, found.entityId, { undid: found.action });
      return { blocks: [{ type: 'text', text: t(ctx.locale, 'undo.done', { what }), tone: 'success' }], visibility: 'private', data: { undone: true, action: found.action, entity: found.entity, id: found.entityId } };
    });
  },
});
