import { z } from 'zod';
import { isIsoDate } from '../domain/dates.ts';
import { cleanText, forbiddenInName } from '../domain/text.ts';
import { isMessageKey, t, type Locale } from '../i18n/index.ts';
import { InputError } from './errors.ts';

/**
 * Parses input with a zod schema; on failure throws an {@link InputError} whose
 * messages name each field (by its translated label) and say why, in the user's
 * language. Custom refinements give an i18n key as their message.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, locale: Locale, labelOf: (field: string) => string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join('.') || 'input';
    if (errors[field]) continue;
    errors[field] = t(locale, 'validation.field', { field: labelOf(field), reason: reason(issue, locale) });
  }
  throw new InputError(errors);
}

function reason(issue: z.core.$ZodIssue, locale: Locale): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null || issue.input === '' ? t(locale, 'validation.required') : t(locale, 'validation.type');
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) === 1
        ? t(locale, 'validation.required')
        : t(locale, issue.origin === 'array' ? 'validation.min_items' : 'validation.min', { min: String(issue.minimum) });
    case 'too_big':
      return t(locale, issue.origin === 'string' ? 'validation.max_length' : issue.origin === 'array' ? 'validation.max_items' : 'validation.max', { max: String(issue.maximum) });
    case 'invalid_value':
      return t(locale, 'validation.one_of', { values: issue.values.map(String).join(', ') });
    case 'invalid_format':
      return t(locale, 'validation.type');
    default:
      return issue.message.startsWith('validation.') && isMessageKey(issue.message) ? t(locale, issue.message) : t(locale, 'validation.type');
  }
}

/** Form and text values arrive as strings: blank means "not given". */
export function blankToUndefined(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value;
}

/**
 * A name people give (account, contact, holiday): refused, naming the field, when it
 * holds a control or invisible character (domain/text.ts). Every channel's commands
 * and forms check names through this one schema.
 */
export const nameText = (max = 200) => z.string().min(1).max(max).refine((v) => forbiddenInName(v) === undefined, 'validation.name_chars');

/**
 * Free text (summaries, notes, next steps, reasons): control and invisible characters
 * are dropped, not refused; `multiline` text keeps tab and line breaks.
 */
export const freeText = (max: number, options: { multiline: boolean; required?: boolean }) =>
  z.string().transform((v) => cleanText(v, options).trim()).pipe(z.string().min(options.required ? 1 : 0).max(max));

/** {@link nameText} for a name that is not read through a schema: an {@link InputError} on `field`. */
export function checkName(locale: Locale, field: string, label: string, name: string): void {
  if (forbiddenInName(name) !== undefined) throw new InputError({ [field]: t(locale, 'validation.field', { field: label, reason: t(locale, 'validation.name_chars') }) });
}

export const dateRefinement = { check: (v: string) => isIsoDate(v), message: 'validation.date' as const };
