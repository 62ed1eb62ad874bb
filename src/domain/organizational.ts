import { daysBetween, type IsoDate } from './dates.ts';
import { ACTIVITY_TYPES, ORG_ITEMS, type OrgItem, type Tier } from './model.ts';
import type { Rules } from './rules.ts';
import type { ActivityFact, Contact } from './types.ts';

export interface OrgStatus {
  required: OrgItem[];
  /** Every item evidenced in the window, required or not. */
  inPlace: OrgItem[];
  /** In place ÷ required (0–1); `null` when the tier requires none. */
  health: number | null;
}

/** Which organizational item an activity evidences (§5), if any. */
export function evidencedItem(activity: ActivityFact, contactsById: ReadonlyMap<number, Pick<Contact, 'position'>>): OrgItem | null {
  const type = ACTIVITY_TYPES[activity.type] as { evidences?: OrgItem; needsTopContact?: boolean };
  if (!type.evidences) return null;
  // §5: a private occasion builds top-level personal ties only with an S contact.
  if (type.needsTopContact && !activity.contactIds.some((id) => contactsById.get(id)?.position === 'S')) return null;
  return type.evidences;
}

/**
 * §4 organizational checklist: an item is in place when an activity that evidences
 * it happened in the last 365 days (up to and including today); health = in place ÷ required.
 */
export function orgStatus(
  tier: Tier,
  activities: readonly ActivityFact[],
  contactsById: ReadonlyMap<number, Pick<Contact, 'position'>>,
  today: IsoDate,
  rules: Rules,
): OrgStatus {
  const evidenced = new Set<OrgItem>();
  for (const activity of activities) {
    const age = daysBetween(activity.date, today);
    if (age < 0 || age >= rules.orgEvidenceDays) continue;
    const item = evidencedItem(activity, contactsById);
    if (item) evidenced.add(item);
  }
  const required = ORG_ITEMS.filter((item) => rules.orgItemsRequired[tier].includes(item));
  const inPlace = ORG_ITEMS.filter((item) => evidenced.has(item));
  const health = required.length === 0 ? null : required.filter((item) => evidenced.has(item)).length / required.length;
  return { required, inPlace, health };
}
