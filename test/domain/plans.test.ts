import { describe, expect, it } from 'vitest';
import { defaultGoalDate, nextReviewOn, planStatus } from '../../src/domain/plans.ts';
import { defaultRules as rules } from '../../src/domain/rules.ts';
import { tierReview } from '../../src/domain/tier.ts';
import type { Plan } from '../../src/domain/types.ts';

const plan = (overrides: Partial<Plan> = {}): Plan => ({
  id: 1, contactId: 1, goalLevel: 'exclusive', goalDate: '2026-07-01', ownerId: 1, sponsorId: null, commitment: null,
  cycleDays: 60, startDate: '2026-01-02', lastReviewOn: null, ...overrides,
});

describe('§6 key relationship plans', () => {
  it('fall due for review on the day the cycle ends, as tier reviews do (§1, §6: one convention)', () => {
    expect(planStatus(plan(), 'supportive', '2026-03-02', rules)).toMatchObject({ daysSinceReview: 59, reviewDue: false });
    expect(planStatus(plan(), 'supportive', '2026-03-03', rules)).toMatchObject({ daysSinceReview: 60, reviewDue: true });
    expect(nextReviewOn(plan())).toBe('2026-03-03');
    // The same cycle length as a tier review falls due on the same day.
    const tier = tierReview({ tierSetOn: '2026-01-02', tierReviewedOn: null }, '2026-03-03', { ...rules, tierReviewDays: 60 });
    expect(tier).toMatchObject({ dueOn: nextReviewOn(plan()), due: true, daysSince: 60 });
    expect(tierReview({ tierSetOn: '2026-01-02', tierReviewedOn: null }, '2026-03-02', { ...rules, tierReviewDays: 60 }).due).toBe(false);
    expect(planStatus(plan({ lastReviewOn: '2026-03-01' }), 'supportive', '2026-03-04', rules).reviewDue).toBe(false);
    expect(nextReviewOn(plan({ lastReviewOn: '2026-03-01', cycleDays: 90 }))).toBe('2026-05-30');
  });

  it('are at risk below the goal with less than a quarter of the time left', () => {
    // 180 days from 2026-01-02 to 2026-07-01: a quarter is 45 days.
    expect(planStatus(plan(), 'supportive', '2026-05-17', rules)).toMatchObject({ daysLeft: 45, atRisk: false });
    expect(planStatus(plan(), 'supportive', '2026-05-18', rules)).toMatchObject({ daysLeft: 44, atRisk: true });
    expect(planStatus(plan(), 'exclusive', '2026-06-30', rules).atRisk).toBe(false);
    expect(planStatus(plan(), 'coach', '2026-06-30', rules).atRisk).toBe(false);
  });

  it('an unknown attitude counts as below the goal', () => {
    expect(planStatus(plan(), null, '2026-06-30', rules).atRisk).toBe(true);
  });

  it('default goal date: half a year out', () => {
    expect(defaultGoalDate('2026-11-24', rules)).toBe('2027-05-24');
  });

  it("have their default goal half a year out, clamped at the month's end (§6)", () => {
    expect(defaultGoalDate('2026-08-31', rules)).toBe('2027-02-28');
    expect(defaultGoalDate('2027-08-31', rules)).toBe('2028-02-29');
    expect(defaultGoalDate('2026-03-15', rules)).toBe('2026-09-15');
  });
});
