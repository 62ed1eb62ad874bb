import * as z from 'zod';
import { CADENCE_RULES, ORG_ITEMS, TIERS, type CadenceRule, type OrgItem, type Tier } from './model.ts';

/**
 * Every configurable default of ../shared/mcr-model.md, in one place. An admin
 * overrides any part of it with a JSON file (`MCR_RULES_FILE`); what mcr-model.md
 * calls "fixed" (§3: levels, dimensions, the attitude window, trend and formula) is
 * here only as constants, and a rules file naming it is refused ({@link FIXED_RULES}).
 */
export interface Rules {
  /** §1 value score weights and the thresholds of the suggested tier. */
  valueWeights: { contribution: number; credit: number; potential: number };
  tierThresholds: { strategic: number; partner: number; priority: number };
  /** §1 a tier is due for review this many days after it was set or reviewed. */
  tierReviewDays: number;
  /** §1, §4 layers each tier requires. */
  layersRequired: Record<Tier, Array<'broad' | 'key' | 'organizational'>>;
  /** §4 organizational items each tier requires; an item is in place when evidenced within this many days. */
  orgItemsRequired: Record<Tier, OrgItem[]>;
  orgEvidenceDays: number;
  /** §9 organizational health below this share is a gap. */
  orgThinBelow: number;
  /** §9 tiers where having no `coach` is a gap. */
  coachRequiredTiers: Tier[];
  /** §3 attitude window and trend look-back (days), and the band within which a trend is flat. */
  attitudeWindowDays: number;
  trendLookbackDays: number;
  trendFlatBand: number;
  /** §6 plan defaults. */
  planReviewCycleDays: number;
  planGoalMonths: number;
  planAtRiskShare: number;
  /** §7 cadence: days per tier, `null` where the rule does not apply. */
  cadence: Record<CadenceRule, Record<Tier, number | null>>;
  /** §8 routine care: how many days ahead reminders start. */
  careAheadDays: number;
}

const allBut = (...left: OrgItem[]): OrgItem[] => ORG_ITEMS.filter((item) => !left.includes(item));

export const defaultRules: Rules = {
  valueWeights: { contribution: 0.5, credit: 0.2, potential: 0.3 },
  tierThresholds: { strategic: 80, partner: 60, priority: 40 },
  tierReviewDays: 180,
  layersRequired: {
    strategic: ['broad', 'key', 'organizational'],
    partner: ['broad', 'key', 'organizational'],
    priority: ['broad', 'key'],
    general: ['broad'],
  },
  orgItemsRequired: {
    strategic: [...ORG_ITEMS],
    partner: allBut('personal_ties', 'process_match', 'management'),
    priority: [],
    general: [],
  },
  orgEvidenceDays: 365,
  orgThinBelow: 0.5,
  coachRequiredTiers: ['strategic', 'partner'],
  attitudeWindowDays: 365,
  trendLookbackDays: 90,
  trendFlatBand: 0.25,
  planReviewCycleDays: 60,
  planGoalMonths: 6,
  planAtRiskShare: 0.25,
  cadence: {
    key_contact_touch: { strategic: 30, partner: 45, priority: 60, general: 90 },
    top_summit: { strategic: 365, partner: 365, priority: null, general: null },
    cxo_exchange: { strategic: 120, partner: 180, priority: null, general: null },
    working_level: { strategic: 30, partner: 30, priority: 60, general: 90 },
    service_meeting: { strategic: 365, partner: 365, priority: null, general: null },
  },
  careAheadDays: 7,
};

/**
 * What §3 marks "fixed": a rules file that names any of these is refused at start-up
 * with the key and why, rather than quietly ignored (an admin would believe it applied).
 */
export const FIXED_RULES: Readonly<Record<string, string>> = {
  attitudeWindowDays: 'the 365-day attitude window',
  trendLookbackDays: 'the 90-day trend look-back',
  trendFlatBand: 'the 0.25 band of a flat trend',
  levels: 'the five attitude levels',
  dimensions: 'the six dimensions',
};

/** The first key of a parsed rules file that §3 fixes, or `undefined`. */
export function fixedRuleIn(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  return Object.keys(json).find((key) => Object.hasOwn(FIXED_RULES, key));
}

const days = z.number().int().positive();
const perTier = <T extends z.ZodType>(value: T) => z.object(Object.fromEntries(TIERS.map((t) => [t, value])) as Record<Tier, T>).partial();

/** What an admin's rules file may say: any subset of {@link Rules}. */
export const rulesOverrideSchema = z
  .object({
    valueWeights: z.object({ contribution: z.number().min(0), credit: z.number().min(0), potential: z.number().min(0) }).partial(),
    tierThresholds: z.object({ strategic: z.number(), partner: z.number(), priority: z.number() }).partial(),
    tierReviewDays: days,
    layersRequired: perTier(z.array(z.enum(['broad', 'key', 'organizational']))),
    orgItemsRequired: perTier(z.array(z.enum(ORG_ITEMS as [OrgItem, ...OrgItem[]]))),
    orgEvidenceDays: days,
    orgThinBelow: z.number().min(0).max(1),
    coachRequiredTiers: z.array(z.enum(TIERS)),
    planReviewCycleDays: days,
    planGoalMonths: z.number().int().positive(),
    planAtRiskShare: z.number().min(0).max(1),
    cadence: z.object(Object.fromEntries(CADENCE_RULES.map((r) => [r, perTier(days.nullable())])) as Record<CadenceRule, ReturnType<typeof perTier<z.ZodNullable<typeof days>>>>).partial(),
    careAheadDays: z.number().int().min(0),
  })
  .partial()
  .strict();
export type RulesOverride = z.infer<typeof rulesOverrideSchema>;

/** The defaults with an admin's overrides laid over them, one level deep per section. */
export function mergeRules(override: RulesOverride): Rules {
  const merged: Record<string, unknown> = { ...defaultRules };
  for (const [key, value] of Object.entries(override)) {
    const base = (defaultRules as unknown as Record<string, unknown>)[key];
    if (key === 'cadence') {
      merged.cadence = Object.fromEntries(
        CADENCE_RULES.map((rule) => [rule, { ...defaultRules.cadence[rule], ...(value as Record<string, unknown>)[rule] as object }]),
      );
    } else if (base !== null && typeof base === 'object' && !Array.isArray(base)) {
      merged[key] = { ...(base as object), ...(value as object) };
    } else {
      merged[key] = value;
    }
  }
  return merged as unknown as Rules;
}
