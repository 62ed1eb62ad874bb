import * as z from 'zod';
import { isIsoDate } from '../domain/dates.ts';
import { cleanText, forbiddenInName } from '../domain/text.ts';
import { fieldLabelOf, InputError, invalidField, type Message, type MessageArg } from './errors.ts';
import { isMessageKey } from '../i18n/index.ts';

/**
 * Parses input with a zod schema; on failure throws an {@link InputError} whose
 * messages name each field (by its label, `labelOf`) and say why, as codes the
 * reply translates. Custom refinements give an i18n key as their message.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, labelOf: (field: string) => MessageArg = fieldLabelOf): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors: Record<string, Message> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join('.') || 'input';
    if (errors[field]) continue;
    errors[field] = invalidField(field, reason(issue), labelOf(field));
  }
  throw new InputError(errors);
}

function reason(issue: z.core.$ZodIssue): Message {
  switch (issue.code) {
    case 'invalid_type':
      return { code: issue.input === undefined || issue.input === null || issue.input === '' ? 'validation.required' : 'validation.type' };
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) === 1
        ? { code: 'validation.required' }
        : { code: issue.origin === 'array' ? 'validation.min_items' : 'validation.min', values: { min: String(issue.minimum) } };
    case 'too_big':
      return { code: issue.origin === 'string' ? 'validation.max_length' : issue.origin === 'array' ? 'validation.max_items' : 'validation.max', values: { max: String(issue.maximum) } };
    case 'invalid_value':
      return { code: 'validation.one_of', values: { values: issue.values.map(String).join(', ') } };
    case 'invalid_format':
      return { code: 'validation.type' };
    default:
      return { code: issue.message.startsWith('validation.') && isMessageKey(issue.message) ? issue.message : 'validation.type' };
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
export function checkName(field: string, name: string): void {
  if (forbiddenInName(name) !== undefined) throw new InputError({ [field]: invalidField(field, { code: 'validation.name_chars' }) });
}

export const dateRefinement = { check: (v: string) => isIsoDate(v), message: 'validation.date' as const };
