/**
 * A rule of the model refused something. `code` keys the translated message
 * (`error.<code>` in src/i18n) and `vars` fill it: nothing here is text for a user.
 * The core's AppError is one; the database layer raises {@link ConflictError}.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly vars: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

/** What a unique name clashes with: an account's or a holiday's name, a contact's within their account. */
export type ConflictCode = 'account.exists' | 'contact.exists' | 'holiday.exists';

/**
 * A record with this name already exists: what a unique key refusing a write means,
 * whether the check before the write saw the other one or a concurrent write won.
 */
export class ConflictError extends DomainError {
  constructor(
    override readonly code: ConflictCode,
    vars: { name: string; account?: string },
  ) {
    super(code, vars);
    this.name = 'ConflictError';
  }
}
