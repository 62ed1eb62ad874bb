import { describe, expect, it } from 'vitest';
import { attitudeAt, attitudeWithTrend, levelForScore, quickRatingValues, roundScore } from '../../src/domain/attitude.ts';
import { defaultRules as rules } from '../../src/domain/rules.ts';
import type { Rating } from '../../src/domain/types.ts';

let id = 0;
const rating = (date: string, values: Rating['values'], contactId = 1): Rating => ({ id: ++id, contactId, ratedBy: 1, date, values });

describe('§3 level of a score (an exact half goes to the lower level)', () => {
  it.each([
    [3, 'coach'], [2.5, 'exclusive'], [2.51, 'coach'], [1.5, 'supportive'], [1.4, 'supportive'], [0.5, 'neutral'], [0.6, 'supportive'],
    [0, 'neutral'], [-0.5, 'opposed'], [-0.4, 'neutral'], [-1, 'opposed'],
  ] as const)('%d → %s', (score, level) => expect(levelForScore(score)).toBe(level));
});

describe('§3 current attitude at a date', () => {
  it('is the mean of each dimension’s latest value in the window', () => {
    const ratings = [
      rating('2026-01-10', { acceptance: 0, information: 0 }),
      rating('2026-05-01', { acceptance: 2 }),
      rating('2026-06-01', { guidance: 1 }),
    ];
    // acceptance 2 (latest), information 0, guidance 1 → 3 / 3 = 1.0
    expect(attitudeAt(ratings, '2026-06-30', rules)).toEqual({ score: 1, level: 'supportive', dimensions: { acceptance: 2, information: 0, guidance: 1 } });
  });

  it('on the same date, the later rating wins', () => {
    const first = rating('2026-06-01', { acceptance: -1 });
    const second = rating('2026-06-01', { acceptance: 3 });
    expect(attitudeAt([second, first], '2026-06-02', rules)?.dimensions.acceptance).toBe(3);
  });

  it('the window is the 365 days up to the date: D−364 counts, D−365 does not', () => {
    expect(attitudeAt([rating('2025-07-01', { acceptance: 2 })], '2026-06-30', rules)?.level).toBe('exclusive');
    expect(attitudeAt([rating('2025-06-30', { acceptance: 2 })], '2026-06-30', rules)).toBeNull();
  });

  it('a rating after the date does not count', () => {
    expect(attitudeAt([rating('2026-07-01', { acceptance: 2 })], '2026-06-30', rules)).toBeNull();
  });

  it('with no value in the window it is unknown (null), not neutral', () => {
    expect(attitudeAt([], '2026-06-30', rules)).toBeNull();
  });

  it('a quick rating counts as that level on all six dimensions', () => {
    expect(quickRatingValues('exclusive')).toEqual({ acceptance: 2, participation: 2, project_support: 2, information: 2, guidance: 2, competition: 2 });
    expect(quickRatingValues('opposed').competition).toBe(-1);
  });

  it('half-level means: 1.5 is supportive', () => {
    const a = attitudeAt([rating('2026-06-01', { acceptance: 1, participation: 2 })], '2026-06-30', rules)!;
    expect(a.score).toBe(1.5);
    expect(a.level).toBe('supportive');
  });
});

describe('§3 trend over 90 days', () => {
  const base = rating('2026-01-01', { acceptance: 0, participation: 0, guidance: 0, information: 0 });
  it.each([
    // one of four dimensions raised by 1 → Δ 0.25: up; raised to 0.8 impossible with integers, so use two ratings.
    [{ acceptance: 1 }, 'up', 0.25],
    [{ acceptance: -1 }, 'down', -0.25],
    [{ acceptance: 0 }, 'flat', 0],
  ] as const)('a later %o → %s', (values, trend, delta) => {
    const result = attitudeWithTrend([base, rating('2026-06-01', values)], '2026-06-30', rules);
    expect(result.trend).toBe(trend);
    expect(result.delta).toBeCloseTo(delta);
  });

  it('|Δ| below 0.25 is flat', () => {
    // Five dimensions at 0, then one raised by 1: Δ = 0.2.
    const five = rating('2026-01-01', { acceptance: 0, participation: 0, guidance: 0, information: 0, competition: 0 });
    expect(attitudeWithTrend([five, rating('2026-06-01', { acceptance: 1 })], '2026-06-30', rules)).toMatchObject({ trend: 'flat' });
  });

  it('has no trend when either side is unknown', () => {
    expect(attitudeWithTrend([rating('2026-06-01', { acceptance: 1 })], '2026-06-30', rules)).toMatchObject({ trend: null, delta: null, before: null });
  });

  it('scores show with one decimal', () => {
    expect(roundScore(1.25)).toBe(1.3);
    expect(roundScore(2 / 3)).toBe(0.7);
    expect(roundScore(-0.25)).toBe(-0.3);
  });
});
