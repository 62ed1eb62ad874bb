import { describe, expect, it } from 'vitest';
import { defaultRules, mergeRules, rulesOverrideSchema } from '../../src/domain/rules.ts';

describe('rules: every default of mcr-model.md, overridable', () => {
  it('overriding one cadence number keeps the others', () => {
    const rules = mergeRules({ cadence: { working_level: { general: 120 } } });
    expect(rules.cadence.working_level).toEqual({ strategic: 30, partner: 30, priority: 60, general: 120 });
    expect(rules.cadence.key_contact_touch).toEqual(defaultRules.cadence.key_contact_touch);
  });

  it('overrides sections and plain values', () => {
    const rules = mergeRules({ tierThresholds: { strategic: 85 }, careAheadDays: 14 });
    expect(rules.tierThresholds).toEqual({ strategic: 85, partner: 60, priority: 40 });
    expect(rules.careAheadDays).toBe(14);
  });

  it('rejects unknown keys and bad values', () => {
    expect(rulesOverrideSchema.safeParse({ colour: 'red' }).success).toBe(false);
    expect(rulesOverrideSchema.safeParse({ tierReviewDays: 0 }).success).toBe(false);
    expect(rulesOverrideSchema.safeParse({ orgItemsRequired: { partner: ['summit', 'nonsense'] } }).success).toBe(false);
    expect(rulesOverrideSchema.safeParse({ cadence: { top_summit: { priority: 400 } } }).success).toBe(true);
  });
});
