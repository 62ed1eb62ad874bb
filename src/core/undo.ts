import { randomBytes } from 'node:crypto';
import { deleteRecord, readState, recordUndo, type RecordState, type UndoEntity } from '../db/undo.repository.ts';
import { t } from '../i18n/index.ts';
import type { Context } from './command.ts';
import type { Action, Block } from './reply.ts';
import type { Writer } from './transact.ts';

/** How long a write can be undone (README: "Correct and undo"). */
export const UNDO_MINUTES = 10;

/** What a confirmation shows so its write can be undone: a line saying how, and the Undo button. */
export interface UndoOffer {
  text: Block;
  action: Action;
  token: string;
}

/**
 * Records, in the write's own transaction, how to take it back: the record's rows
 * `before` (read by the caller before writing; null for a new record) and as they are
 * now. Only the same actor may use it, once, for UNDO_MINUTES.
 */
export async function offerUndo(ctx: Context, w: Writer, action: string, entity: UndoEntity, id: number, before: RecordState): Promise<UndoOffer> {
  const token = randomBytes(5).toString('hex');
  const after = await readState(w.trx, entity, id);
  await recordUndo(w.trx, { token, actorId: ctx.actor.id, action, entity, entityId: id, before, after }, ctx.now, UNDO_MINUTES);
  const command = `undo ${token}`;
  return {
    token,
    text: { type: 'text', text: t(ctx.locale, 'undo.offer', { minutes: UNDO_MINUTES, command }), tone: 'muted' },
    action: { label: t(ctx.locale, 'action.undo'), command },
  };
}

/**
 * Deletes a record for real (its rows, children first) with its audit line
 * (`<entity>.delete`), and offers to undo it. `missing` is thrown when it went meanwhile.
 */
export async function deleteWithUndo(ctx: Context, w: Writer, entity: UndoEntity, id: number, detail: Record<string, unknown>, missing: () => Error): Promise<UndoOffer> {
  const before = await readState(w.trx, entity, id);
  if (before === null) throw missing();
  await deleteRecord(w.trx, entity, id);
  await w.audit(`${entity}.delete`, entity, id, detail);
  return offerUndo(ctx, w, `${entity}.delete`, entity, id, before);
}
