import { addDays, daysBetween, type IsoDate } from './dates.ts';
import { DIMENSIONS, LEVELS, levelFromValue, type Dimension, type Level } from './model.ts';
import type { Rules } from './rules.ts';
import type { Rating } from './types.ts';

export interface Attitude {
  /** Mean of the dimensions that have a value, unrounded (show one decimal). */
  score: number;
  level: Level;
  dimensions: Partial<Record<Dimension, number>>;
}

export type Trend = 'up' | 'down' | 'flat';

/**
 * §3 the level nearest to a score; an exact half goes to the lower level.
 * @example levelForScore(1.5) // 'supportive'
 */
export function levelForScore(score: number): Level {
  const value = Math.ceil(score - 0.5 - 1e-9);
  return levelFromValue(Math.min(3, Math.max(-1, value)));
}

/**
 * §3 current attitude at `date`: per dimension the latest value rated in the
 * `attitudeWindowDays` days up to and including `date` (a rating on `date − 365`
 * is outside). No value in the window: `null`, which is unknown, not neutral.
 */
export function attitudeAt(ratings: readonly Rating[], date: IsoDate, rules: Rules): Attitude | null {
  const latest: Partial<Record<Dimension, { date: IsoDate; id: number; value: number }>> = {};
  for (const rating of ratings) {
    const age = daysBetween(rating.date, date);
    if (age < 0 || age >= rules.attitudeWindowDays) continue;
    for (const dimension of DIMENSIONS) {
      const value = rating.values[dimension];
      if (value === undefined) continue;
      const seen = latest[dimension];
      if (!seen || rating.date > seen.date || (rating.date === seen.date && rating.id > seen.id)) {
        latest[dimension] = { date: rating.date, id: rating.id, value };
      }
    }
  }
  const dimensions: Partial<Record<Dimension, number>> = {};
  for (const dimension of DIMENSIONS) {
    const seen = latest[dimension];
    if (seen) dimensions[dimension] = seen.value;
  }
  const values = Object.values(dimensions);
  if (values.length === 0) return null;
  const score = values.reduce((sum, v) => sum + v, 0) / values.length;
  return { score, level: levelForScore(score), dimensions };
}

export interface AttitudeWithTrend {
  current: Attitude | null;
  /** The attitude `trendLookbackDays` before. */
  before: Attitude | null;
  trend: Trend | null;
  delta: number | null;
}

/** §3 trend: score now minus score 90 days before; flat when |Δ| < 0.25; none when either is unknown. */
export function attitudeWithTrend(ratings: readonly Rating[], date: IsoDate, rules: Rules): AttitudeWithTrend {
  const current = attitudeAt(ratings, date, rules);
  const before = attitudeAt(ratings, addDays(date, -rules.trendLookbackDays), rules);
  if (!current || !before) return { current, before, trend: null, delta: null };
  const delta = current.score - before.score;
  const trend: Trend = Math.abs(delta) < rules.trendFlatBand ? 'flat' : delta > 0 ? 'up' : 'down';
  return { current, before, trend, delta };
}

/** §3 a quick rating (one level) counts as that level on all six dimensions. */
export function quickRatingValues(level: Level): Record<Dimension, number> {
  const value = LEVELS.indexOf(level) - 1;
  return Object.fromEntries(DIMENSIONS.map((d) => [d, value])) as Record<Dimension, number>;
}

/** One decimal, as §3 says scores are shown. */
export function roundScore(score: number): number {
  return Math.round(score * 10 + 1e-9 * Math.sign(score)) / 10;
}
