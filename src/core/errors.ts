import { messageKey, t, type Locale, type MessageKey } from '../i18n/index.ts';
import { DomainError } from '../domain/errors.ts';
import type { Problem, Parsed } from './args.ts';
import type { Option } from './reply.ts';

/**
 * A domain error with a stable code; every channel maps the code to a translated
 * message (`error.<code>` in src/i18n). Anything else thrown is unexpected: logged
 * with a reference id, and the user sees a short apology with that id.
 */
export class AppError extends DomainError {
  constructor(
    override readonly code: ErrorCode,
    vars: Record<string, string | number> = {},
  ) {
    super(code, vars);
    this.name = 'AppError';
  }
}

export type ErrorCode =
  | 'command.usage'
  | Problem['code']
  | 'usage.nothing_to_record'
  | 'usage.nothing_to_change'
  | 'digest.need_channel'
  | 'digest.owner_only'
  | 'digest.not_subscribed'
  | 'access.admin_only'
  | 'access.not_allowed'
  | 'access.account_roles'
  | 'access.account_roles_unmanaged'
  | 'access.contact_owners'
  | 'access.account_team'
  | 'name.not_found'
  | 'name.ambiguous'
  | 'input.invalid'
  | 'account.exists'
  | 'contact.exists'
  | 'holiday.exists'
  | 'next_step.done'
  | 'demo.loaded'
  | 'plan.none'
  | 'form.unknown'
  // Issue 15: corrections, undo, confirmations.
  | 'access.author_only'
  | 'access.author_unknown'
  | 'confirm.required'
  | 'undo.expired'
  | 'undo.not_yours'
  | 'undo.changed'
  | 'visit.not_found'
  | 'rating.not_found'
  | 'step.not_found'
  // Issue 18 part 2: planned visits.
  | 'visit.plan_not_found'
  | 'visit.plan_logged'
  | 'visit.plan_cancelled'
  // Issue 19: the power map's drawing thread has more waiting than it can draw soon.
  | 'map.busy';

/** A name that matched nothing, or more than one thing: the reply offers the closest. */
export class NameError extends AppError {
  constructor(
    code: 'name.not_found' | 'name.ambiguous',
    readonly kind: 'command' | 'account' | 'contact' | 'person' | 'next_step' | 'holiday' | 'plan',
    readonly query: string,
    readonly candidates: Option[],
  ) {
    super(code, { query });
  }
}

/**
 * A message not translated yet: a catalog key and the values of its placeholders.
 * A value may itself be a message (a field's label, a reason), or a list of parts
 * joined as they are (a row's label "Next step 2 · Owner").
 * @example { code: 'validation.field', values: { field: { code: 'field.date' }, reason: { code: 'validation.future' } } }
 */
export interface Message {
  code: MessageKey;
  values?: Record<string, MessageArg>;
}
export type MessageArg = string | number | Message | readonly MessageArg[];

/** A message in the user's language: the one place input errors become text (at the edge that renders them). */
export function translate(locale: Locale, arg: MessageArg): string {
  if (typeof arg === 'string' || typeof arg === 'number') return String(arg);
  if (isMessageList(arg)) return arg.map((part) => translate(locale, part)).join('');
  const values = Object.fromEntries(Object.entries(arg.values ?? {}).map(([name, value]) => [name, translate(locale, value)]));
  return t(locale, arg.code, values);
}

const isMessageList = (arg: MessageArg): arg is readonly MessageArg[] => Array.isArray(arg);

/** The label of a form field path, untranslated (`next_steps.1.due` → "Next step 2 · Due"). */
export function fieldLabelOf(path: string): MessageArg {
  const [field = '', row, sub] = path.split('.');
  // An id the catalog has no label for shows as itself, not as a raw key.
  const labelOf = (id: string): MessageArg => {
    const code = messageKey('field', id);
    return code ? { code } : id;
  };
  const base = labelOf(field);
  if (row === undefined) return base;
  return sub ? [base, ` ${Number(row) + 1} · `, labelOf(sub)] : [base, ` ${Number(row) + 1}`];
}

/** "‹field›: ‹reason›" for one field: the label is the field's own unless given. */
export function invalidField(field: string, reason: MessageArg, label: MessageArg = fieldLabelOf(field)): Message {
  return { code: 'validation.field', values: { field: label, reason } };
}

/**
 * Bad input: per field, the code and values of what is wrong with it (naming the
 * field and saying why); translated once, where the reply is rendered.
 * @example new InputError({ date: invalidField('date', { code: 'validation.future' }) })
 */
export class InputError extends AppError {
  constructor(readonly fields: Record<string, Message>) {
    super('input.invalid');
  }

  /** Each field's message in the user's language. */
  messages(locale: Locale): Record<string, string> {
    return Object.fromEntries(Object.entries(this.fields).map(([field, message]) => [field, translate(locale, message)]));
  }
}

/**
 * A command line that does not fit its command's grammar (an unknown flag, a missing
 * value, a value of the wrong type, a missing subject…), or that names nothing to
 * record. It carries ids and values only: the edge that shows it translates it, lists
 * the valid values in the user's language and offers each candidate as a button that
 * runs the command with exactly the faulty part replaced. Nothing was written. CLI: exit 2.
 */
export class UsageError extends AppError {
  constructor(
    readonly problem: Problem | (Omit<Problem, 'code'> & { code: 'usage.nothing_to_record' | 'usage.nothing_to_change'; flags: string[] }),
    /** The command (its grammar's name) the problem is in. */
    readonly command: string,
    /** The parsed line, for rebuilding suggestions; absent when there is nothing to rebuild. */
    readonly parsed?: Parsed,
  ) {
    super(problem.code);
    this.name = 'UsageError';
  }
}
