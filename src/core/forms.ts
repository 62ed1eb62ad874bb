import { label, labelKey, type Locale } from '../i18n/index.ts';
import type { Context } from './command.ts';
import { fieldLabelOf, InputError, invalidField, NameError, translate } from './errors.ts';
import type { Form, FormValue, FormValues, Option, Reply } from './reply.ts';
import { resolvePerson } from './resolve.ts';

/** Helpers shared by the commands that define forms. */

/** A value typed as one line ("Zhang, Li; Wang") or picked as a list → a list. */
export function listValue(value: FormValue | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
  return value.split(/[,;，；、]/).map((v) => v.trim()).filter(Boolean);
}

export function textValue(value: FormValue | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function rowsValue(value: FormValue | undefined): Array<Record<string, string>> {
  return Array.isArray(value) ? value.filter((r): r is Record<string, string> => typeof r === 'object' && r !== null) : [];
}

/** The translated label of a form field, for messages that name it (`next_steps.1.due` → "Next step 2 · Due"). */
export function fieldLabel(locale: Locale, path: string): string {
  return translate(locale, fieldLabelOf(path));
}

/** A name that did not resolve, as a message on its form field. */
export function nameFieldError(field: string, error: NameError): InputError {
  const kind = { code: labelKey('kind', error.kind) };
  const code = error.code === 'name.ambiguous' ? 'name.ambiguous' : 'name.not_found';
  const why = { code: error.candidates.length > 0 ? labelKey('error', `${code}.some`) : labelKey('error', code), values: { kind, query: error.query } };
  const close = error.candidates.length > 0 ? ` ${error.candidates.map((c) => c.label).join(', ')}` : '';
  return new InputError({ [field]: invalidField(field, [why, close]) });
}

/** Resolves a name for a form field, turning a miss into a message on that field. */
export async function resolveField<T>(field: string, resolve: () => Promise<T>): Promise<T> {
  try {
    return await resolve();
  } catch (error) {
    if (error instanceof NameError) throw nameFieldError(field, error);
    throw error;
  }
}

/**
 * Runs a form's submit; on bad input returns the form again with the messages on
 * their fields and the values kept, and the messages as a list for text channels.
 */
export async function submitOrReturn(ctx: { locale: Locale }, form: (values: FormValues) => Form, values: FormValues, submit: () => Promise<Reply>): Promise<Reply> {
  try {
    return await submit();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const again = form(values);
    const messages = error.messages(ctx.locale);
    return {
      blocks: [{ type: 'list', items: Object.values(messages) }],
      form: { ...again, values, errors: messages },
      visibility: 'private',
      status: 'error',
      data: { error: 'input.invalid', fields: messages },
    };
  }
}

/** Choice options for a vocabulary, labelled in the user's language. */
export function options(locale: Locale, group: string, ids: readonly (string | number)[]): Option[] {
  return ids.map((id) => ({ value: String(id), label: label(locale, group, id) }));
}

/** `--solution-manager x` and `--solution_manager x` both fill the field `solution_manager`. */
export function valuesFromFlags(flags: Record<string, string | true>, fieldIds: readonly string[]): FormValues {
  const values: FormValues = {};
  for (const [name, value] of Object.entries(flags)) {
    const id = name.replace(/-/g, '_');
    if (fieldIds.includes(id)) values[id] = value === true ? 'yes' : value;
  }
  return values;
}

/** Resolves optional person fields (`#id`, email, platform id or name) to ids, naming the field on a miss. */
export async function personIds<K extends string>(ctx: Context, input: Partial<Record<K, string>>, fields: readonly K[]): Promise<Partial<Record<K, number | null>>> {
  const ids: Partial<Record<K, number | null>> = {};
  for (const field of fields) {
    const value = input[field];
    if (value === undefined) continue;
    ids[field] = value === '' || value === '-' ? null : (await resolveField(field, () => resolvePerson(ctx, value))).id;
  }
  return ids;
}
