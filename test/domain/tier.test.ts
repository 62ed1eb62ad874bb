import { describe, expect, it } from 'vitest';
import { defaultRules as rules } from '../../src/domain/rules.ts';
import { suggestedTier, tierReview, tierSuggestion, valueScore } from '../../src/domain/tier.ts';

describe('§1 value score and suggested tier', () => {
  it.each([
    // (0.5·c + 0.2·cr + 0.3·p − 1) / 4 × 100, worked by hand:
    [5, 5, 5, 100, 'strategic'],
    [5, 4, 3, 80, 'strategic'], // (2.5 + 0.8 + 0.9 − 1) / 4 = 0.80
    [4, 4, 3, 68, 'partner'], // 2.7 / 4 = 67.5 → 68
    [4, 3, 3, 63, 'partner'], // 2.5 / 4 = 62.5 → 63
    [3, 3, 3, 50, 'priority'],
    [3, 2, 2, 38, 'general'], // (1.5 + 0.4 + 0.6 − 1) / 4 = 37.5 → 38
    [1, 1, 1, 0, 'general'],
  ] as const)('contribution %i, credit %i, potential %i', (c, cr, p, score, tier) => {
    const computed = valueScore({ contribution: c, credit: cr, potential: p }, rules);
    expect(computed).toBe(score);
    expect(suggestedTier(computed, rules)).toBe(tier);
  });

  it('thresholds are ≥ 80, ≥ 60, ≥ 40', () => {
    expect([80, 79, 60, 59, 40, 39].map((s) => suggestedTier(s, rules))).toEqual(['strategic', 'partner', 'partner', 'priority', 'priority', 'general']);
  });

  it('no inputs (or a missing one): no score and no suggestion', () => {
    expect(valueScore({ contribution: null, credit: null, potential: null }, rules)).toBeNull();
    expect(valueScore({ contribution: 5, credit: null, potential: 5 }, rules)).toBeNull();
    expect(suggestedTier(null, rules)).toBeNull();
  });
});

describe('§1 tier review', () => {
  it('is due 180 days after the tier was set, not at 179', () => {
    expect(tierReview({ tierSetOn: '2026-01-01', tierReviewedOn: null }, '2026-06-30', rules)).toEqual({ lastOn: '2026-01-01', dueOn: '2026-06-30', due: true, daysSince: 180 });
    expect(tierReview({ tierSetOn: '2026-01-01', tierReviewedOn: null }, '2026-06-29', rules).due).toBe(false);
  });

  it('counts from the later of set and reviewed', () => {
    expect(tierReview({ tierSetOn: '2025-01-01', tierReviewedOn: '2026-03-01' }, '2026-06-30', rules)).toMatchObject({ lastOn: '2026-03-01', due: false, daysSince: 121 });
  });
});

describe('§1 a tier status shows the suggestion only when it differs', () => {
  it('is the suggested tier when it differs from the current one, else none', () => {
    expect(tierSuggestion('priority', 'partner')).toBe('partner');
    expect(tierSuggestion('partner', 'partner')).toBeNull();
    expect(tierSuggestion('general', null)).toBeNull();
  });
});
