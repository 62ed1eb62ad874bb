import { reviewDue, type IsoDate } from './dates.ts';
import type { Rules } from './rules.ts';
import type { Tier } from './model.ts';
import type { Account, ValueInputs } from './types.ts';

/**
 * §1 value score: (0.5·contribution + 0.2·credit + 0.3·potential − 1) / 4 × 100, rounded.
 * All three inputs are needed; with any missing there is no score (and no suggestion).
 * @example valueScore({ contribution: 5, credit: 5, potential: 5 }, rules) // 100
 */
export function valueScore(inputs: ValueInputs, rules: Rules): number | null {
  const { contribution, credit, potential } = inputs;
  if (contribution === null || credit === null || potential === null) return null;
  const w = rules.valueWeights;
  const weighted = (w.contribution * contribution + w.credit * credit + w.potential * potential) / (w.contribution + w.credit + w.potential);
  // Round away float noise first so that an exact .5 rounds up as on paper.
  const raw = Math.round((((weighted - 1) / 4) * 100) * 1e9) / 1e9;
  return Math.min(100, Math.max(0, Math.round(raw)));
}

/** §1 suggested tier from the value score (≥ 80 strategic, ≥ 60 partner, ≥ 40 priority, else general). */
export function suggestedTier(score: number | null, rules: Rules): Tier | null {
  if (score === null) return null;
  const t = rules.tierThresholds;
  if (score >= t.strategic) return 'strategic';
  if (score >= t.partner) return 'partner';
  if (score >= t.priority) return 'priority';
  return 'general';
}

export interface TierReview {
  lastOn: IsoDate;
  dueOn: IsoDate;
  due: boolean;
  daysSince: number;
}

/** §1 "a tier status shows the suggestion only when it differs from the current tier". */
export function tierSuggestion(current: Tier, suggested: Tier | null): Tier | null {
  return suggested !== null && suggested !== current ? suggested : null;
}

/** §1 the tier is due for review `tierReviewDays` after it was last set or reviewed. */
export function tierReview(account: Pick<Account, 'tierSetOn' | 'tierReviewedOn'>, today: IsoDate, rules: Rules): TierReview {
  const lastOn = account.tierReviewedOn && account.tierReviewedOn > account.tierSetOn ? account.tierReviewedOn : account.tierSetOn;
  return { lastOn, ...reviewDue(lastOn, rules.tierReviewDays, today) };
}
