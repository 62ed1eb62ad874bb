import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en.ts';
import { zhCN } from '../src/i18n/zh-CN.ts';
import { label, localeFromTag, t } from '../src/i18n/index.ts';
import { ACTIVITY_TYPE_IDS, DIMENSIONS, LEVELS, ORG_ITEMS, ROLES, STYLES, TIERS } from '../src/domain/model.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogs', () => {
  it('zh-CN has every key of en, with the same placeholders, and nothing else', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(zhCN[key], key).toBeTruthy();
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('every id of the model has a label in both languages', () => {
    const groups: Array<[string, readonly string[]]> = [
      ['tier', TIERS], ['level', LEVELS], ['dimension', DIMENSIONS], ['role', ROLES], ['style', STYLES], ['activity', ACTIVITY_TYPE_IDS], ['org', ORG_ITEMS],
    ];
    for (const [group, ids] of groups) for (const id of ids) expect(`${group}.${id}` in en, `${group}.${id}`).toBe(true);
  });

  it('uses the labels of mcr-model.md', () => {
    expect(label('zh-CN', 'tier', 'strategic')).toBe('战略客户');
    expect(label('zh-CN', 'level', 'exclusive')).toBe('支持并排他');
    expect(label('zh-CN', 'dimension', 'guidance')).toBe('日常业务指导度');
    expect(label('en', 'level', 'exclusive')).toBe('Exclusive supporter');
  });

  it('fills placeholders and maps platform locales', () => {
    expect(t('en', 'time.in_days', { days: 3 })).toBe('in 3 days');
    expect(localeFromTag('zh-TW')).toBe('zh-CN');
    expect(localeFromTag('en-GB', 'zh-CN')).toBe('en');
    expect(localeFromTag('fr-FR', 'zh-CN')).toBe('zh-CN');
    expect(localeFromTag(undefined)).toBe('en');
  });
});
