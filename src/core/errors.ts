import type { Problem, Parsed } from './args.ts';
import type { Option } from './reply.ts';

/**
 * A domain error with a stable code; every channel maps the code to a translated
 * message (`error.<code>` in src/i18n). Anything else thrown is unexpected: logged
 * with a reference id, and the user sees a short apology with that id.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly vars: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export type ErrorCode =
  | 'command.usage'
  | Problem['code']
  | 'usage.nothing_to_record'
  | 'digest.need_channel'
  | 'digest.owner_only'
  | 'digest.not_subscribed'
  | 'access.admin_only'
  | 'access.not_allowed'
  | 'access.account_roles'
  | 'access.account_roles_unmanaged'
  | 'access.contact_owners'
  | 'name.not_found'
  | 'name.ambiguous'
  | 'input.invalid'
  | 'account.exists'
  | 'contact.exists'
  | 'holiday.exists'
  | 'next_step.done'
  | 'demo.loaded'
  | 'plan.none'
  | 'form.unknown';

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

/** Bad input: each message names its field and says why (already translated). */
export class InputError extends AppError {
  constructor(readonly fieldErrors: Record<string, string>) {
    super('input.invalid');
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
    readonly problem: Problem | (Omit<Problem, 'code'> & { code: 'usage.nothing_to_record'; flags: string[] }),
    /** The command (its grammar's name) the problem is in. */
    readonly command: string,
    /** The parsed line, for rebuilding suggestions; absent when there is nothing to rebuild. */
    readonly parsed?: Parsed,
  ) {
    super(problem.code);
    this.name = 'UsageError';
  }
}
