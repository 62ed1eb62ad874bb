import { describe, expect, it } from 'vitest';
import type { CadenceCheck } from '../../src/domain/cadence.ts';
import { coverageGaps, type GapInput } from '../../src/domain/gaps.ts';
import type { Tier } from '../../src/domain/model.ts';
import { defaultRules as rules } from '../../src/domain/rules.ts';

const input = (overrides: Partial<GapInput> = {}): GapInput => ({
  tier: 'partner',
  sponsorId: 9,
  contacts: [{ id: 1, role: 'decision_maker', ownerBId: 2, level: 'coach' }],
  org: { required: [], inPlace: [], health: 1 },
  cadence: [],
  plans: [],
  tierReview: { lastOn: '2026-01-01', dueOn: '2026-06-30', due: false, daysSince: 10 },
  ...overrides,
});
const codes = (i: GapInput) => coverageGaps(i, rules).map((g) => g.code);

describe('§9 coverage gaps', () => {
  it('none for a healthy partner account', () => expect(codes(input())).toEqual([]));

  it('no decision chain: key layer required (priority and up) and no key contact', () => {
    const none = [{ id: 1, role: 'none' as const, ownerBId: null, level: null }];
    expect(codes(input({ tier: 'priority', contacts: none }))).toContain('no_decision_chain');
    expect(codes(input({ tier: 'general', contacts: none }))).not.toContain('no_decision_chain');
  });

  it('single owner: a key contact without owner B', () => {
    expect(coverageGaps(input({ contacts: [{ id: 5, role: 'user', ownerBId: null, level: 'coach' }] }), rules)).toContainEqual({ code: 'single_owner', contactId: 5 });
  });

  it('decision maker opposed', () => {
    expect(coverageGaps(input({ contacts: [{ id: 3, role: 'decision_maker', ownerBId: 1, level: 'opposed' }] }), rules)).toContainEqual({ code: 'decision_maker_opposed', contactId: 3 });
    expect(codes(input({ contacts: [{ id: 3, role: 'influencer', ownerBId: 1, level: 'opposed' }] }))).not.toContain('decision_maker_opposed');
  });

  it.each([['strategic', true], ['partner', true], ['priority', false], ['general', false]] as const)('no coach on a %s account: %s', (tier: Tier, gap) => {
    const contacts = [{ id: 1, role: 'decision_maker' as const, ownerBId: 2, level: 'exclusive' as const }];
    expect(codes(input({ tier, contacts })).includes('no_coach')).toBe(gap);
  });

  it('no sponsor where the organizational layer is required', () => {
    expect(codes(input({ sponsorId: null }))).toContain('no_sponsor');
    expect(codes(input({ tier: 'priority', sponsorId: null }))).not.toContain('no_sponsor');
  });

  it('organizational relationship thin below 50 %', () => {
    expect(codes(input({ org: { required: [], inPlace: [], health: 0.44 } }))).toContain('org_thin');
    expect(codes(input({ org: { required: [], inPlace: [], health: 0.5 } }))).not.toContain('org_thin');
  });

  it('overdue cadence rules, worst first, with rule and days; due plan and tier reviews', () => {
    const cadence: CadenceCheck[] = [
      { rule: 'working_level', limit: 30, lastOn: null, days: 40, overdue: true },
      { rule: 'key_contact_touch', contactId: 1, limit: 45, lastOn: null, days: 100, overdue: true },
      { rule: 'top_summit', limit: 365, lastOn: null, days: 100, overdue: false },
    ];
    const gaps = coverageGaps(input({
      cadence,
      plans: [{ contactId: 1, status: { daysSinceReview: 70, reviewDue: true, daysLeft: 10, atRisk: true } }],
      tierReview: { lastOn: '2025-01-01', dueOn: '2025-06-30', due: true, daysSince: 400 },
    }), rules);
    expect(gaps).toEqual([
      { code: 'cadence_overdue', rule: 'key_contact_touch', days: 100, contactId: 1 },
      { code: 'cadence_overdue', rule: 'working_level', days: 40 },
      { code: 'plan_review_due', contactId: 1, days: 70 },
      { code: 'tier_review_due', days: 400 },
    ]);
  });
});
