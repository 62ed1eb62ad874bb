import { attitudeWithTrend, type AttitudeWithTrend } from './attitude.ts';
import { cadenceChecks, lastTouches, type CadenceCheck } from './cadence.ts';
import { upcomingCare, type CareItem } from './care.ts';
import { groupBy } from './collections.ts';
import type { IsoDate } from './dates.ts';
import { coverageGaps, type Gap } from './gaps.ts';
import { isKey, type Layer, type Tier } from './model.ts';
import { orgStatus, type OrgStatus } from './organizational.ts';
import { planStatus, type PlanStatus } from './plans.ts';
import type { Rules } from './rules.ts';
import { suggest, type Suggestion } from './suggestions.ts';
import { suggestedTier, tierReview, valueScore, type TierReview } from './tier.ts';
import type { Account, ActivityFact, Contact, Holiday, Plan, Rating } from './types.ts';

/** Everything the rules need to judge one account (loaded by the repositories). */
export interface AccountSnapshot {
  account: Account;
  contacts: Contact[];
  /** The account's activities (all of them, or at least every latest one per rule and contact). */
  activities: ActivityFact[];
  /** Ratings of the account's contacts, at least those of the attitude window and trend look-back. */
  ratings: Rating[];
  plans: Plan[];
  holidays: Holiday[];
}

export interface ContactAssessment {
  contact: Contact;
  key: boolean;
  attitude: AttitudeWithTrend;
  lastTouch: IsoDate | null;
  suggestion: Suggestion;
}

export interface AccountAssessment {
  account: Account;
  valueScore: number | null;
  suggestedTier: Tier | null;
  tierReview: TierReview;
  layersRequired: Layer[];
  org: OrgStatus;
  contacts: ContactAssessment[];
  cadence: CadenceCheck[];
  care: CareItem[];
  plans: Array<{ plan: Plan; status: PlanStatus }>;
  gaps: Gap[];
}

/** Applies every rule of mcr-model.md §1–§10 to one account as of `today`. */
export function assessAccount(snapshot: AccountSnapshot, today: IsoDate, rules: Rules): AccountAssessment {
  const { account, contacts, activities } = snapshot;
  const score = valueScore(account, rules);
  const ratingsByContact = groupBy(snapshot.ratings, (r) => r.contactId);
  const touches = lastTouches(activities, today);
  const contactsById = new Map(contacts.map((c) => [c.id, c]));

  const assessed: ContactAssessment[] = contacts.map((contact) => {
    const attitude = attitudeWithTrend(ratingsByContact.get(contact.id) ?? [], today, rules);
    return {
      contact,
      key: isKey(contact.role),
      attitude,
      lastTouch: touches.get(contact.id) ?? null,
      suggestion: suggest(attitude.current?.level ?? null, contact.needLevel, contact.style),
    };
  });
  const levelOf = new Map(assessed.map((a) => [a.contact.id, a.attitude.current?.level ?? null]));

  const org = orgStatus(account.tier, activities, contactsById, today, rules);
  const cadence = cadenceChecks(account, contacts, activities, today, rules);
  const review = tierReview(account, today, rules);
  const plans = snapshot.plans.map((plan) => ({ plan, status: planStatus(plan, levelOf.get(plan.contactId) ?? null, today, rules) }));
  const gaps = coverageGaps(
    {
      tier: account.tier,
      sponsorId: account.sponsorId,
      contacts: contacts.map((c) => ({ ...c, level: levelOf.get(c.id) ?? null })),
      org,
      cadence,
      plans: plans.map((p) => ({ contactId: p.plan.contactId, status: p.status })),
      tierReview: review,
    },
    rules,
  );
  return {
    account,
    valueScore: score,
    suggestedTier: suggestedTier(score, rules),
    tierReview: review,
    layersRequired: rules.layersRequired[account.tier],
    org,
    contacts: assessed,
    cadence,
    care: upcomingCare(contacts, snapshot.holidays, activities, today, rules),
    plans,
    gaps,
  };
}
