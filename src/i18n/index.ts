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

/** The ids of a group of the catalog: `IdIn<'tier'>` is `'strategic' | 'partner' | …`, from the keys `tier.*`. */
export type IdIn<G extends string> = MessageKey extends infer K ? (K extends `${G}.${infer Id}` ? Id : never) : never;

/**
 * The key of an id in a group, checked by the compiler against the catalog:
 * `labelKey('field', 'owner_a')` is `'field.owner_a'`; `labelKey('field', 'colour')`
 * does not compile. For ids known only at run time, {@link label} or {@link messageKey}.
 */
export function labelKey<G extends string, I extends IdIn<G>>(group: G, id: I): MessageKey {
  // The one cast: IdIn<G> says the catalog has it.
  return `${group}.${id}` as MessageKey;
}

/** Is this text a key of the catalog? */
export function isMessageKey(text: string): text is MessageKey {
  return Object.hasOwn(en, text);
}

/** The key of an id in a group when the catalog has it (ids from input, the database, a rules file). */
export function messageKey(group: string, id: string | number): MessageKey | undefined {
  const key = `${group}.${id}`;
  return isMessageKey(key) ? key : undefined;
}

/** The label of an id in one of the model's vocabularies, e.g. `label('en', 'level', 'coach')`; the id itself when it has none. */
export function label(locale: Locale, group: string, id: string | number): string {
  const key = messageKey(group, id);
  return key ? t(locale, key) : String(id);
}

/** Every locale's labels for an id (to match what a user typed in either language). */
export function allLabels(group: string, id: string): string[] {
  const key = messageKey(group, id);
  return key ? LOCALES.map((l) => catalogs[l][key]).filter((text): text is string => typeof text === 'string') : [];
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
