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
  | 'command.unknown'
  | 'command.usage'
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
  | 'step.not_found';

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
