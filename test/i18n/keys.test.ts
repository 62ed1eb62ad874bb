import { describe, expect, it } from 'vitest';
import { en, isMessageKey, label, labelKey, messageKey, t } from '../../src/i18n/index.ts';
import { fieldLabel, options } from '../../src/core/forms.ts';

describe('typed message keys instead of casts on built strings', () => {
  it('labelKey builds a key the catalog has, and the compiler refuses one it has not', () => {
    expect(labelKey('tier', 'strategic')).toBe('tier.strategic');
    expect(t('zh-CN', labelKey('field', 'owner_a'))).toBe(t('zh-CN', 'field.owner_a'));
    // @ts-expect-error — no such field in the catalog: this line is the compile-time check (tsc --noEmit).
    expect(labelKey('field', 'colour')).toBe('field.colour');
    // @ts-expect-error — nor such a group.
    labelKey('colours', 'red');
  });

  it('ids known only at run time are checked against the catalog, own keys only', () => {
    expect(messageKey('level', 'coach')).toBe('level.coach');
    expect(messageKey('level', 'boss')).toBeUndefined();
    expect(isMessageKey('validation.required')).toBe(true);
    expect(isMessageKey('constructor')).toBe(false);
    expect(isMessageKey('toString')).toBe(false);
    expect(label('en', 'tier', 'unknown-tier')).toBe('unknown-tier');
  });

  it('form labels and options read the catalog; an unknown id shows as itself, not as a raw key', () => {
    expect(fieldLabel('en', 'next_steps.1.due')).toBe(`${en['field.next_steps']} 2 · ${en['field.due']}`);
    expect(fieldLabel('en', 'mystery')).toBe('mystery');
    expect(options('zh-CN', 'tier', ['strategic', 'general'])).toEqual([
      { value: 'strategic', label: t('zh-CN', 'tier.strategic') },
      { value: 'general', label: t('zh-CN', 'tier.general') },
    ]);
  });
});
