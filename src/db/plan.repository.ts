import type { IsoDate } from '../domain/dates.ts';
import type { Level } from '../domain/model.ts';
import type { Plan } from '../domain/types.ts';
import type { DbOrTrx } from './create-db.ts';
import type { PlanRow } from './schema.ts';

export type NewPlan = Omit<Plan, 'id' | 'lastReviewOn'> & { createdBy: number | null };

export async function insertPlan(db: DbOrTrx, plan: NewPlan, now: Date): Promise<number> {
  const { id } = await db
    .insertInto('plans')
    .values({
      contact_id: plan.contactId,
      goal_level: plan.goalLevel,
      goal_date: plan.goalDate,
      owner_id: plan.ownerId,
      sponsor_id: plan.sponsorId,
      commitment: plan.commitment,
      cycle_days: plan.cycleDays,
      start_date: plan.startDate,
      created_by: plan.createdBy,
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A plan's row, with the date of its last review (null: none yet). */
export function toPlan(row: Omit<PlanRow, 'closed_on' | 'created_by' | 'created_at'> & { last_review_on: string | null }): Plan {
  return {
    id: row.id,
    contactId: row.contact_id,
    goalLevel: row.goal_level as Level,
    goalDate: row.goal_date,
    ownerId: row.owner_id,
    sponsorId: row.sponsor_id,
    commitment: row.commitment,
    cycleDays: row.cycle_days,
    startDate: row.start_date,
    lastReviewOn: row.last_review_on,
  };
}

/** §6 open plans of some contacts, each with the date of its last review. */
export async function listOpenPlans(db: DbOrTrx, contactIds: readonly number[]): Promise<Plan[]> {
  if (contactIds.length === 0) return [];
  const rows = await db
    .selectFrom('plans')
    .leftJoin('plan_reviews', 'plan_reviews.plan_id', 'plans.id')
    .select((eb) => [
      'plans.id', 'plans.contact_id', 'plans.goal_level', 'plans.goal_date', 'plans.owner_id', 'plans.sponsor_id',
      'plans.commitment', 'plans.cycle_days', 'plans.start_date', eb.fn.max('plan_reviews.date').as('last_review_on'),
    ])
    .where('plans.contact_id', 'in', [...contactIds])
    .where('plans.closed_on', 'is', null)
    .groupBy(['plans.id', 'plans.contact_id', 'plans.goal_level', 'plans.goal_date', 'plans.owner_id', 'plans.sponsor_id', 'plans.commitment', 'plans.cycle_days', 'plans.start_date'])
    .orderBy('plans.id')
    .execute();
  return rows.map(toPlan);
}

export interface NewPlanReview {
  planId: number;
  date: IsoDate;
  score: number | null;
  level: Level | null;
  progress: string | null;
  gap: string | null;
  nextActions: string | null;
  reviewedBy: number | null;
}

/** §6 a review records the computed attitude at review time, progress, gap and next actions. */
export async function insertPlanReview(db: DbOrTrx, review: NewPlanReview, now: Date): Promise<number> {
  const { id } = await db
    .insertInto('plan_reviews')
    .values({
      plan_id: review.planId,
      date: review.date,
      score: review.score,
      level: review.level,
      progress: review.progress,
      gap: review.gap,
      next_actions: review.nextActions,
      reviewed_by: review.reviewedBy,
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
