import { daysBetween, type IsoDate } from './dates.ts';
import { ACTIVITY_TYPES, isKey, type ActivityType, type CadenceRule, type Position, type Tier } from './model.ts';
import type { Rules } from './rules.ts';
import type { ActivityFact, Contact } from './types.ts';

export interface CadenceCheck {
  rule: CadenceRule;
  /** Set for `key_contact_touch`, one check per key contact. */
  contactId?: number;
  limit: number;
  /** The last activity that satisfies the rule, or `null` when never. */
  lastOn: IsoDate | null;
  /** Days since `lastOn`, or since the account / contact was added when never touched. */
  days: number;
  overdue: boolean;
}

const CXO_EXCHANGE_TYPES: readonly ActivityType[] = ['summit', 'workshop', 'service_meeting', 'roadmap', 'exchange'];

type ContactFacts = Pick<Contact, 'id' | 'position' | 'role' | 'createdOn'>;

/**
 * §7 which activities satisfy each account-wide rule. Our reading where §7 is terse:
 * - `cxo_exchange`: one of the listed types with an `A` contact taking part;
 * - `working_level`: an activity with a `B` or `C` contact, or of a broad-layer type (§5),
 *   i.e. the day-to-day touches below the top level.
 */
const ACCOUNT_RULES: Record<Exclude<CadenceRule, 'key_contact_touch'>, (a: ActivityFact, positions: Position[]) => boolean> = {
  top_summit: (a, positions) => (a.type === 'summit' || a.type === 'exec_visit') && positions.includes('S'),
  cxo_exchange: (a, positions) => CXO_EXCHANGE_TYPES.includes(a.type) && positions.includes('A'),
  working_level: (a, positions) => positions.includes('B') || positions.includes('C') || ACTIVITY_TYPES[a.type].layer === 'broad',
  service_meeting: (a) => a.type === 'service_meeting',
};
/** The same, listed once: every activity of every account goes through them. */
const ACCOUNT_RULE_LIST = Object.entries(ACCOUNT_RULES) as Array<[CadenceRule, (typeof ACCOUNT_RULES)['top_summit']]>;

/**
 * §7 every cadence rule that applies to the account's tier, with how long since it was
 * last met. A rule is overdue when the gap exceeds its number; never met counts from the
 * day the account (or, for a key contact, the contact) was added.
 */
export function cadenceChecks(
  account: { tier: Tier; createdOn: IsoDate },
  contacts: readonly ContactFacts[],
  activities: readonly ActivityFact[],
  today: IsoDate,
  rules: Rules,
): CadenceCheck[] {
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const lastTouch = lastTouches(activities, today);
  const lastByRule = new Map<CadenceRule, IsoDate>();
  for (const activity of activities) {
    if (activity.date > today) continue;
    const positions: Position[] = [];
    for (const id of activity.contactIds) {
      const position = byId.get(id)?.position;
      if (position) positions.push(position);
    }
    for (const [rule, satisfies] of ACCOUNT_RULE_LIST) {
      if (satisfies(activity, positions) && !(lastByRule.get(rule)! >= activity.date)) lastByRule.set(rule, activity.date);
    }
  }

  const check = (rule: CadenceRule, limit: number, lastOn: IsoDate | null, addedOn: IsoDate, contactId?: number): CadenceCheck => {
    const days = daysBetween(lastOn ?? addedOn, today);
    return { rule, ...(contactId === undefined ? {} : { contactId }), limit, lastOn, days, overdue: days > limit };
  };

  const checks: CadenceCheck[] = [];
  const touchLimit = rules.cadence.key_contact_touch[account.tier];
  if (touchLimit !== null) {
    for (const contact of contacts) {
      if (!isKey(contact.role)) continue;
      checks.push(check('key_contact_touch', touchLimit, lastTouch.get(contact.id) ?? null, contact.createdOn, contact.id));
    }
  }
  for (const [rule] of ACCOUNT_RULE_LIST) {
    const limit = rules.cadence[rule][account.tier];
    if (limit !== null) checks.push(check(rule, limit, lastByRule.get(rule) ?? null, account.createdOn));
  }
  return checks;
}

/** The last activity date of each contact (any type; §5 a summit or exec visit touches everyone it lists). */
export function lastTouches(activities: readonly ActivityFact[], today: IsoDate): Map<number, IsoDate> {
  const last = new Map<number, IsoDate>();
  for (const activity of activities) {
    if (activity.date > today) continue;
    for (const id of activity.contactIds) if (!(last.get(id)! >= activity.date)) last.set(id, activity.date);
  }
  return last;
}
