import { describe, expect, it } from 'vitest';
import { suggest } from '../../src/domain/suggestions.ts';

describe('§10 what to suggest next', () => {
  it('builds the connection while unknown, opposed or neutral; deepens it from supportive up', () => {
    const build = ['formal_visit', 'business_exchange', 'dinner', 'company_tour'];
    const deepen = ['community', 'family', 'circle', 'advisor_role', 'leisure'];
    for (const level of [null, 'opposed', 'neutral'] as const) expect(suggest(level, null, null).approach).toEqual(build);
    for (const level of ['supportive', 'exclusive', 'coach'] as const) expect(suggest(level, null, null).approach).toEqual(deepen);
  });

  it('by need level: 1–3, 4, 5; nothing when unknown', () => {
    expect(suggest(null, 2, null).needs).toEqual(['sports', 'entertainment', 'travel', 'modest_gifts']);
    expect(suggest(null, 4, null).needs).toEqual(['high_courtesy', 'ceremonial_events']);
    expect(suggest(null, 5, null).needs).toEqual(['career_development', 'forum_speaking', 'advisory_roles', 'awards', 'associations']);
    expect(suggest(null, null, null).needs).toEqual([]);
  });

  it('passes the social style through for the how', () => {
    expect(suggest('coach', 5, 'analytical').style).toBe('analytical');
  });
});
