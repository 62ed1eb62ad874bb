import type { Kysely } from 'kysely';
import type { DbOrTrx } from './create-db.ts';
import type { UndoActionsTable } from './schema.ts';

/**
 * Undo (issue 15): a record's rows, read before and after a write, so that the write can
 * be taken back by writing the "before" rows again — the same rows with the same ids, so
 * `#12` still names the visit. Deletes are real deletes: cadence, digests, briefs and
 * exports read the tables as they are and need no filter.
 */
export type UndoEntity = UndoActionsTable['entity'];

/** A record's rows by table, parents first; null when it does not exist. */
export type RecordState = Record<string, Array<Record<string, unknown>>> | null;

/** The tables that hold each kind of record, parents first, with the column naming the record and the order of its rows. */
const PARTS: Record<UndoEntity, ReadonlyArray<{ table: string; key: string; order: string }>> = {
  activity: [
    { table: 'activities', key: 'id', order: 'id' },
    { table: 'activity_contacts', key: 'activity_id', order: 'contact_id' },
    { table: 'activity_attendees', key: 'activity_id', order: 'person_id' },
    { table: 'next_steps', key: 'activity_id', order: 'id' },
  ],
  rating: [{ table: 'ratings', key: 'id', order: 'id' }],
  next_step: [{ table: 'next_steps', key: 'id', order: 'id' }],
};

/** The rows of one record as they are now. */
export async function readState(db: DbOrTrx, entity: UndoEntity, id: number): Promise<RecordState> {
  const any = db as unknown as Kysely<any>;
  const state: Record<string, Array<Record<string, unknown>>> = {};
  for (const [i, part] of PARTS[entity].entries()) {
    const rows = (await any.selectFrom(part.table).selectAll().where(part.key, '=', id).orderBy(part.order).execute()) as Array<Record<string, unknown>>;
    if (i === 0 && rows.length === 0) return null;
    state[part.table] = rows;
  }
  return state;
}

/** Removes the record (children first): a real delete. */
export async function deleteRecord(db: DbOrTrx, entity: UndoEntity, id: number): Promise<void> {
  const any = db as unknown as Kysely<any>;
  for (const part of [...PARTS[entity]].reverse()) await any.deleteFrom(part.table).where(part.key, '=', id).execute();
}

/** Makes the record what `state` says: its rows now are replaced by those (none, when null). */
export async function writeState(db: DbOrTrx, entity: UndoEntity, id: number, state: RecordState): Promise<void> {
  await deleteRecord(db, entity, id);
  if (state === null) return;
  const any = db as unknown as Kysely<any>;
  for (const part of PARTS[entity]) {
    const rows = state[part.table] ?? [];
    if (rows.length > 0) await any.insertInto(part.table).values(rows).execute();
  }
}

export function sameState(a: RecordState, b: RecordState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface UndoAction {
  token: string;
  actorId: number;
  action: string;
  entity: UndoEntity;
  entityId: number;
  before: RecordState;
  after: RecordState;
  expiresAt: string;
  undoneAt: string | null;
}

/** Keeps a write's undo for `minutes`; forgets the ones that ran out. */
export async function recordUndo(db: DbOrTrx, undo: Omit<UndoAction, 'undoneAt' | 'expiresAt'>, now: Date, minutes: number): Promise<void> {
  await db.deleteFrom('undo_actions').where('expires_at', '<', now.toISOString()).execute();
  await db
    .insertInto('undo_actions')
    .values({
      token: undo.token,
      actor_id: undo.actorId,
      action: undo.action,
      entity: undo.entity,
      entity_id: undo.entityId,
      before_state: JSON.stringify(undo.before),
      after_state: JSON.stringify(undo.after),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + minutes * 60_000).toISOString(),
    })
    .execute();
}

export async function findUndo(db: DbOrTrx, token: string): Promise<UndoAction | undefined> {
  const row = await db.selectFrom('undo_actions').selectAll().where('token', '=', token).executeTakeFirst();
  if (!row) return undefined;
  return {
    token: row.token,
    actorId: row.actor_id,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    before: row.before_state === null ? null : (JSON.parse(row.before_state) as RecordState),
    after: row.after_state === null ? null : (JSON.parse(row.after_state) as RecordState),
    expiresAt: row.expires_at,
    undoneAt: row.undone_at,
  };
}

/** Claims the undo: false when it was already used (a second press), so it runs once. */
export async function claimUndo(db: DbOrTrx, token: string, now: Date): Promise<boolean> {
  const result = await db.updateTable('undo_actions').set({ undone_at: now.toISOString() }).where('token', '=', token).where('undone_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
