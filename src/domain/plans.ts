import { addDays, addMonths, daysBetween, reviewDue, type IsoDate } from './dates.ts';
import { LEVEL_VALUE, type Level } from './model.ts';
import type { Rules } from './rules.ts';
import type { Plan } from './types.ts';

export interface PlanStatus {
  daysSinceReview: number;
  /** §6 due when the last review (or the start) is as old as the review cycle (dates.ts `reviewDue`, as tier reviews §1). */
  reviewDue: boolean;
  daysLeft: number;
  /** §6 below the goal (or unknown) with less than a quarter of the plan's time left. */
  atRisk: boolean;
}

/** §6 the default goal date: `planGoalMonths` (half a year) after the start, clamped at a month's end. */
export function defaultGoalDate(start: IsoDate, rules: Rules): IsoDate {
  return addMonths(start, rules.planGoalMonths);
}

export function planStatus(plan: Plan, currentLevel: Level | null, today: IsoDate, rules: Rules): PlanStatus {
  const review = reviewDue(plan.lastReviewOn ?? plan.startDate, plan.cycleDays, today);
  const total = daysBetween(plan.startDate, plan.goalDate);
  const daysLeft = daysBetween(today, plan.goalDate);
  const belowGoal = currentLevel === null || LEVEL_VALUE[currentLevel] < LEVEL_VALUE[plan.goalLevel];
  return {
    daysSinceReview: review.daysSince,
    reviewDue: review.due,
    daysLeft,
    atRisk: belowGoal && daysLeft < total * rules.planAtRiskShare,
  };
}

/** The date the next review falls due. */
export function nextReviewOn(plan: Plan): IsoDate {
  return addDays(plan.lastReviewOn ?? plan.startDate, plan.cycleDays);
}
