/**
 * The fixed vocabulary of the MCR method (../shared/mcr-model.md). Ids are what the
 * database, the CLI and JSON use; labels live in src/i18n.
 */

/** §1 tiers, most important first. */
export const TIERS = ['strategic', 'partner', 'priority', 'general'] as const;
export type Tier = (typeof TIERS)[number];

/** §1, §4 the relationship layers. */
export const LAYERS = ['broad', 'key', 'organizational'] as const;
export type Layer = (typeof LAYERS)[number];

/** §3 attitude levels (fixed): id ↔ numeric level. */
export const LEVELS = ['opposed', 'neutral', 'supportive', 'exclusive', 'coach'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_VALUE: Record<Level, number> = { opposed: -1, neutral: 0, supportive: 1, exclusive: 2, coach: 3 };
export function levelFromValue(value: number): Level {
  const level = LEVELS[value + 1];
  if (level === undefined) throw new RangeError(`no attitude level ${value}`);
  return level;
}

/** §3 the six dimensions (fixed). */
export const DIMENSIONS = ['acceptance', 'participation', 'project_support', 'information', 'guidance', 'competition'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** §2 position (SABC), decision-chain role, social style. */
export const POSITIONS = ['S', 'A', 'B', 'C'] as const;
export type Position = (typeof POSITIONS)[number];
export const ROLES = ['decision_maker', 'influencer', 'evaluator', 'user', 'none'] as const;
export type Role = (typeof ROLES)[number];
export const STYLES = ['driver', 'expressive', 'analytical', 'amiable'] as const;
export type Style = (typeof STYLES)[number];
export const NEED_LEVELS = [1, 2, 3, 4, 5] as const;

/** §2 a contact is key when it has a role on the decision chain. */
export function isKey(role: Role): boolean {
  return role !== 'none';
}

/** §4 sales stages along which broad relationships are planned. */
export const STAGES = ['lead', 'opportunity', 'contract', 'collection'] as const;
export type Stage = (typeof STAGES)[number];

/** §4 organizational checklist: dimension → items. */
export const ORG_DIMENSIONS = {
  communication: ['summit', 'exec_visits', 'personal_ties'],
  alignment: ['strategy_match', 'resource_match', 'process_match'],
  joint_action: ['joint_innovation', 'joint_brand', 'joint_planning'],
  identification: ['culture', 'management', 'brand'],
} as const;
export type OrgDimension = keyof typeof ORG_DIMENSIONS;
export type OrgItem = (typeof ORG_DIMENSIONS)[OrgDimension][number];
export const ORG_ITEMS: readonly OrgItem[] = Object.values(ORG_DIMENSIONS).flat();

/** §5 activity types: default layer and the organizational item each evidences. */
export const ACTIVITY_TYPES = {
  visit: { layer: 'key' },
  exchange: { layer: 'key' },
  meal: { layer: 'key' },
  company_tour: { layer: 'broad' },
  reference_visit: { layer: 'broad' },
  special_tour: { layer: 'broad' },
  training: { layer: 'broad', evidences: 'management' },
  milestone: { layer: 'broad' },
  social: { layer: 'broad' },
  care: { layer: 'key' },
  summit: { layer: 'organizational', evidences: 'summit' },
  exec_visit: { layer: 'organizational', evidences: 'exec_visits' },
  workshop: { layer: 'organizational', evidences: 'strategy_match' },
  service_meeting: { layer: 'organizational', evidences: 'resource_match' },
  roadmap: { layer: 'organizational', evidences: 'strategy_match' },
  joint_innovation: { layer: 'organizational', evidences: 'joint_innovation' },
  joint_event: { layer: 'organizational', evidences: 'joint_brand' },
  planning: { layer: 'organizational', evidences: 'joint_planning' },
  culture_exchange: { layer: 'organizational', evidences: 'culture' },
  forum: { layer: 'broad', evidences: 'brand' },
  process_alignment: { layer: 'organizational', evidences: 'process_match' },
  // §5: `personal_ties` only when an S contact took part.
  private: { layer: 'key', evidences: 'personal_ties', needsTopContact: true },
} as const satisfies Record<string, { layer: Layer; evidences?: OrgItem; needsTopContact?: boolean }>;
export type ActivityType = keyof typeof ACTIVITY_TYPES;
export const ACTIVITY_TYPE_IDS = Object.keys(ACTIVITY_TYPES) as ActivityType[];

/** §7 cadence rule ids (also the `rule` of a `cadence_overdue` gap). */
export const CADENCE_RULES = ['key_contact_touch', 'top_summit', 'cxo_exchange', 'working_level', 'service_meeting'] as const;
export type CadenceRule = (typeof CADENCE_RULES)[number];

/** §9 gap codes (interfaces.md). */
export const GAP_CODES = [
  'no_decision_chain', 'single_owner', 'decision_maker_opposed', 'no_coach', 'no_sponsor',
  'org_thin', 'cadence_overdue', 'plan_review_due', 'tier_review_due',
] as const;
export type GapCode = (typeof GAP_CODES)[number];
