import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof en;
export type Vars = Record<string, string | number>;

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/**
 * A translated message with `{name}` placeholders filled in.
 * @example t('zh-CN', 'tier.strategic') // '战略客户'
 */
export function t(locale: Locale, key: MessageKey, vars: Vars = {}): string {
  const text = catalogs[locale][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The label of an id in one of the model's vocabularies, e.g. `label('en', 'level', 'coach')`. */
export function label(locale: Locale, group: string, id: string | number): string {
  const key = `${group}.${id}` as MessageKey;
  return key in en ? t(locale, key) : String(id);
}

/** Every locale's labels for an id (to match what a user typed in either language). */
export function allLabels(group: string, id: string): string[] {
  const key = `${group}.${id}` as MessageKey;
  return key in en ? LOCALES.map((l) => catalogs[l][key]).filter((text): text is string => typeof text === 'string') : [];
}

/** A platform's language tag → our locale: any Chinese is zh-CN, everything else English. */
export function localeFromTag(tag: string | null | undefined, fallback: Locale = 'en'): Locale {
  if (!tag) return fallback;
  return tag.toLowerCase().startsWith('zh') ? 'zh-CN' : tag.toLowerCase().startsWith('en') ? 'en' : fallback;
}

/**
 * Punctuation that sits around our own words, in the language's own forms: Chinese
 * text takes full-width 、（）：；, English the ASCII ones.
 * @example joinList('zh-CN', ['李娜', '陈晓']) // '李娜、陈晓'
 */
export function joinList(locale: Locale, items: readonly string[]): string {
  return items.join(t(locale, 'list.separator'));
}

/** `text (note)`, or `text（note）` in Chinese. */
export function withNote(locale: Locale, text: string, note: string): string {
  return t(locale, 'format.note', { text, note });
}

/** `label: text`, or `label：text` in Chinese. */
export function labelled(locale: Locale, label: string, text: string): string {
  return t(locale, 'format.labelled', { label, text });
}

export { en };
