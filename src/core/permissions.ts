import type { Account, Contact, Plan } from '../domain/types.ts';

/**
 * Who may change the roles of a record (issue 14: permissions that cannot be climbed).
 * One rule for every channel and every path: admins, and the people who hold the
 * record's roles *now* — never someone who is about to name themselves. Pure: the
 * callers read the record and say what would change.
 *
 * - An account's tier, account manager, solution manager, delivery manager and
 *   sponsor (mcr-model.md §1): admins and the current account manager. A manager may
 *   hand the role over; from then on the new one holds it. No manager: admins only.
 * - A contact's owners (AB角, §2) and which account it belongs to: admins, the
 *   account's manager and the contact's current owners (an owner may hand over).
 * - A plan's owner and sponsor (§6): admins, the account's manager and the plan's owner.
 * - A new record has no holders to climb past: whoever creates it sets its roles (and
 *   an account's tier) as they like, naming others or themselves; from the first save
 *   on, only this rule applies — so a creator who names someone else as account
 *   manager has handed the account over.
 */

/** The fields of an account only its holders may change. */
export const ACCOUNT_ROLES = ['tier', 'account_manager', 'solution_manager', 'delivery_manager', 'sponsor'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** The fields of a contact only its holders may change; `account` too, as moving it changes who governs its owners. */
export const CONTACT_ROLES = ['account', 'owner_a', 'owner_b', 'owner_c'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export interface Actor {
  id: number;
  isAdmin: boolean;
}

/** The people who may change a record's roles besides admins (null: a role nobody holds). */
export type Holders = readonly (number | null)[];

/** §1 an account's roles are held by its account manager. */
export function accountHolders(account: Pick<Account, 'accountManagerId'>): Holders {
  return [account.accountManagerId];
}

/** §2 a contact's owners are governed by its account's manager and by the owners themselves. */
export function contactHolders(account: Pick<Account, 'accountManagerId'>, contact: Pick<Contact, 'ownerAId' | 'ownerBId' | 'ownerCId'>): Holders {
  return [account.accountManagerId, contact.ownerAId, contact.ownerBId, contact.ownerCId];
}

/** §6 a plan's owner and sponsor are governed by the account's manager and the plan's owner. */
export function planHolders(account: Pick<Account, 'accountManagerId'>, plan: Pick<Plan, 'ownerId'>): Holders {
  return [account.accountManagerId, plan.ownerId];
}

/**
 * §11 who may record an account's department scores and weighting: the whole account
 * team (account, solution and delivery managers and the sponsor, §1) — the broad layer is
 * the iron triangle's shared work — and admins.
 */
export function accountTeam(account: Pick<Account, 'accountManagerId' | 'solutionManagerId' | 'deliveryManagerId' | 'sponsorId'>): Holders {
  return [account.accountManagerId, account.solutionManagerId, account.deliveryManagerId, account.sponsorId];
}

/** The one rule: an admin, or someone who holds one of the record's roles now. */
export function mayChangeRoles(actor: Actor, holders: Holders): boolean {
  return actor.isAdmin || holders.some((id) => id !== null && id === actor.id);
}

/** The fields whose value would change: `after` is the whole new state of the guarded fields. */
export function changedFields<K extends string>(before: Readonly<Record<K, unknown>>, after: Readonly<Record<K, unknown>>): K[] {
  return (Object.keys(after) as K[]).filter((k) => after[k] !== before[k]);
}

/** The changes this actor may not make (empty: go ahead). Nothing changing is never refused. */
export function refusedChanges<K extends string>(actor: Actor, holders: Holders, changed: readonly K[]): K[] {
  return changed.length === 0 || mayChangeRoles(actor, holders) ? [] : [...changed];
}

/**
 * Issue 15: a visit, a rating or a next step is corrected (edited, deleted) by whoever
 * recorded it, or an admin; a next step's author is who logged its visit. A record
 * imported without an author: admins only.
 */
export function mayCorrect(actor: Actor, authorId: number | null): boolean {
  return mayChangeRoles(actor, [authorId]);
}
