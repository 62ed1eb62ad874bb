import type { IsoDate } from '../domain/dates.ts';
import type { PlannedVisit } from '../domain/meetings.ts';
import type { DbOrTrx } from './create-db.ts';
import type { PlannedVisitsTable } from './schema.ts';
import type { Selectable } from 'kysely';

export type NewPlannedVisit = Pick<PlannedVisit, 'accountId' | 'ownerId' | 'date' | 'time' | 'purpose' | 'contactIds' | 'createdBy'>;

/** A planned visit and the contacts to meet, written together (status `planned`). */
export async function insertPlannedVisit(db: DbOrTrx, plan: NewPlannedVisit, now: Date): Promise<number> {
  const at = now.toISOString();
  const { id } = await db
    .insertInto('planned_visits')
    .values({ account_id: plan.accountId, owner_id: plan.ownerId, date: plan.date, time: plan.time, purpose: plan.purpose, status: 'planned', activity_id: null, created_by: plan.createdBy, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contactIds = [...new Set(plan.contactIds)];
  if (contactIds.length > 0) await db.insertInto('planned_visit_contacts').values(contactIds.map((contact_id, position) => ({ plan_id: id, contact_id, position }))).execute();
  return id;
}

export async function findPlannedVisit(db: DbOrTrx, id: number): Promise<PlannedVisit | undefined> {
  const row = await db.selectFrom('planned_visits').selectAll().where('id', '=', id).executeTakeFirst();
  return row && (await withContacts(db, [row]))[0];
}

export interface PlannedVisitQuery {
  status?: PlannedVisit['status'];
  ownerId?: number;
  /** Only these accounts (a digest's scope). */
  accountIds?: readonly number[];
  /** Days from and to, both included. */
  from?: IsoDate;
  to?: IsoDate;
  limit?: number;
}

/** Planned visits by day and time (no time last in its day), then id. */
export async function listPlannedVisits(db: DbOrTrx, q: PlannedVisitQuery): Promise<PlannedVisit[]> {
  if (q.accountIds && q.accountIds.length === 0) return [];
  let query = db.selectFrom('planned_visits').selectAll();
  if (q.status) query = query.where('status', '=', q.status);
  if (q.ownerId !== undefined) query = query.where('owner_id', '=', q.ownerId);
  if (q.accountIds) query = query.where('account_id', 'in', [...q.accountIds]);
  if (q.from) query = query.where('date', '>=', q.from);
  if (q.to) query = query.where('date', '<=', q.to);
  const rows = await query.orderBy('date').orderBy('time').orderBy('id').execute();
  // NULL sorts first on SQLite and last on PostgreSQL: put "no time" after the timed ones of its day, on both.
  rows.sort((a, b) => (a.date === b.date ? Number(a.time === null) - Number(b.time === null) : 0));
  return withContacts(db, q.limit === undefined ? rows : rows.slice(0, q.limit));
}

/** Moves a planned (not logged or cancelled) visit; false when it is no longer planned. */
export async function movePlannedVisit(db: DbOrTrx, id: number, date: IsoDate, time: string | null, now: Date): Promise<boolean> {
  const r = await db.updateTable('planned_visits').set({ date, time, updated_at: now.toISOString() }).where('id', '=', id).where('status', '=', 'planned').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Cancels a planned visit; false when it was not planned (already cancelled or logged). */
export async function cancelPlannedVisit(db: DbOrTrx, id: number, now: Date): Promise<boolean> {
  const r = await db.updateTable('planned_visits').set({ status: 'cancelled', updated_at: now.toISOString() }).where('id', '=', id).where('status', '=', 'planned').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The visit logged from a plan: the plan becomes `logged`, once (false when it was not planned). */
export async function markPlanLogged(db: DbOrTrx, id: number, activityId: number, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('planned_visits')
    .set({ status: 'logged', activity_id: activityId, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'planned')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

async function withContacts(db: DbOrTrx, rows: Selectable<PlannedVisitsTable>[]): Promise<PlannedVisit[]> {
  const byPlan = new Map<number, number[]>();
  if (rows.length > 0) {
    const links = await db
      .selectFrom('planned_visit_contacts')
      .select(['plan_id', 'contact_id'])
      .where('plan_id', 'in', rows.map((r) => r.id))
      .orderBy('plan_id')
      .orderBy('position')
      .execute();
    for (const l of links) byPlan.set(l.plan_id, [...(byPlan.get(l.plan_id) ?? []), l.contact_id]);
  }
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    ownerId: r.owner_id,
    date: r.date,
    time: r.time,
    purpose: r.purpose,
    status: r.status,
    contactIds: byPlan.get(r.id) ?? [],
    activityId: r.activity_id,
    createdBy: r.created_by,
  }));
}
