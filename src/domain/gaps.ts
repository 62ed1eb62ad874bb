import type { CadenceCheck } from './cadence.ts';
import type { CadenceRule, GapCode, Level, Tier } from './model.ts';
import type { OrgStatus } from './organizational.ts';
import type { PlanStatus } from './plans.ts';
import type { Rules } from './rules.ts';
import type { TierReview } from './tier.ts';
import type { Contact } from './types.ts';

export interface Gap {
  code: GapCode;
  contactId?: number;
  rule?: CadenceRule;
  days?: number;
}

export interface GapInput {
  tier: Tier;
  sponsorId: number | null;
  contacts: ReadonlyArray<Pick<Contact, 'id' | 'role' | 'ownerBId'> & { level: Level | null }>;
  org: OrgStatus;
  cadence: readonly CadenceCheck[];
  plans: ReadonlyArray<{ contactId: number; status: PlanStatus }>;
  tierReview: TierReview;
}

/** §9 coverage gaps, structure first, then what is overdue (worst first). */
export function coverageGaps(input: GapInput, rules: Rules): Gap[] {
  const gaps: Gap[] = [];
  const layers = rules.layersRequired[input.tier];
  const keyContacts = input.contacts.filter((c) => c.role !== 'none');
  if (layers.includes('key') && keyContacts.length === 0) gaps.push({ code: 'no_decision_chain' });
  for (const c of input.contacts) {
    if (c.role === 'decision_maker' && c.level === 'opposed') gaps.push({ code: 'decision_maker_opposed', contactId: c.id });
  }
  if (rules.coachRequiredTiers.includes(input.tier) && !input.contacts.some((c) => c.level === 'coach')) gaps.push({ code: 'no_coach' });
  if (layers.includes('organizational') && input.sponsorId === null) gaps.push({ code: 'no_sponsor' });
  if (layers.includes('organizational') && input.org.health !== null && input.org.health < rules.orgThinBelow) gaps.push({ code: 'org_thin' });
  for (const c of keyContacts) if (c.ownerBId === null) gaps.push({ code: 'single_owner', contactId: c.id });

  const overdue = input.cadence.filter((c) => c.overdue).sort((a, b) => b.days - b.limit - (a.days - a.limit));
  for (const c of overdue) {
    gaps.push({ code: 'cadence_overdue', rule: c.rule, days: c.days, ...(c.contactId === undefined ? {} : { contactId: c.contactId }) });
  }
  for (const p of input.plans) if (p.status.reviewDue) gaps.push({ code: 'plan_review_due', contactId: p.contactId, days: p.status.daysSinceReview });
  if (input.tierReview.due) gaps.push({ code: 'tier_review_due', days: input.tierReview.daysSince });
  return gaps;
}
