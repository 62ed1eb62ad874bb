import { findPeopleByIds, findPersonByRef } from '../db/person.repository.ts';
import type { Account, Contact } from '../domain/types.ts';
import { labelKey, t } from '../i18n/index.ts';
import type { Context } from './command.ts';
import { AppError } from './errors.ts';
import { accountHolders, contactHolders, mayCorrect, refusedChanges, type AccountRole, type ContactRole } from './permissions.ts';

/**
 * The rule of permissions.ts applied to a command's change: called before anything
 * is written (people included), so a refused edit leaves the record, its history and
 * the audit log as they were — the other fields of the same edit too.
 */

/** A person named in a form or flag that we do not know yet: certainly not who holds the role now. */
export const SOMEONE_NEW = 'new' as const;

/**
 * The people that optional person fields name, without creating anyone (unlike
 * `personIds`): absent or empty is null, an unknown reference {@link SOMEONE_NEW}.
 */
export async function peekPersonIds<K extends string>(ctx: Context, input: Partial<Record<K, string>>, fields: readonly K[]): Promise<Record<K, number | null | typeof SOMEONE_NEW>> {
  const ids = {} as Record<K, number | null | typeof SOMEONE_NEW>;
  for (const field of fields) {
    const value = input[field]?.trim();
    if (value === undefined || value === '' || value === '-') ids[field] = null;
    else if (/^#\d+$/.test(value)) ids[field] = Number(value.slice(1));
    else ids[field] = (await findPersonByRef(ctx.db, value))?.id ?? SOMEONE_NEW;
  }
  return ids;
}

/** Refuses a change to an account's tier or roles unless the actor is an admin or its account manager now. */
export async function guardAccountRoles(ctx: Context, account: Account, changed: readonly AccountRole[]): Promise<void> {
  const refused = refusedChanges(actorOf(ctx), accountHolders(account), changed);
  if (refused.length === 0) return;
  refusedLog(ctx, 'account', account.id, refused);
  const fields = fieldList(ctx, refused);
  if (account.accountManagerId === null) throw new AppError('access.account_roles_unmanaged', { fields, name: account.name });
  const manager = (await findPeopleByIds(ctx.db, [account.accountManagerId])).get(account.accountManagerId);
  throw new AppError('access.account_roles', { fields, name: account.name, manager: manager?.name ?? `#${account.accountManagerId}` });
}

/** Refuses a change to a contact's owners (or its account) unless the actor is an admin, the account's manager or an owner now. */
export function guardContactRoles(ctx: Context, account: Account, contact: Contact, changed: readonly ContactRole[]): void {
  const refused = refusedChanges(actorOf(ctx), contactHolders(account, contact), changed);
  if (refused.length === 0) return;
  refusedLog(ctx, 'contact', contact.id, refused);
  throw new AppError('access.contact_owners', { fields: fieldList(ctx, refused), name: contact.name, account: account.name });
}

/**
 * Refuses to edit or delete a visit, rating or next step unless the actor recorded it or
 * is an admin (permissions.ts `mayCorrect`). `record` names it for the message ("visit #12").
 */
export async function guardAuthor(ctx: Context, entity: string, id: number, record: string, authorId: number | null): Promise<void> {
  if (mayCorrect(actorOf(ctx), authorId)) return;
  refusedLog(ctx, entity, id, ['author']);
  if (authorId === null) throw new AppError('access.author_unknown', { record });
  const author = (await findPeopleByIds(ctx.db, [authorId])).get(authorId);
  throw new AppError('access.author_only', { record, author: author?.name ?? `#${authorId}` });
}

function actorOf(ctx: Context) {
  return { id: ctx.actor.id, isAdmin: ctx.isAdmin };
}

function fieldList(ctx: Context, fields: ReadonlyArray<AccountRole | ContactRole>): string {
  return fields.map((f) => t(ctx.locale, labelKey('field', f))).join(t(ctx.locale, 'list.separator'));
}

/** A refused attempt writes nothing, but the operator can still see it was tried. */
function refusedLog(ctx: Context, entity: string, id: number, fields: readonly string[]): void {
  ctx.log.warn('role change refused', { actor: ctx.actor.id, entity, id, fields: fields.join(',') });
}
