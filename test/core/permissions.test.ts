import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountHolders, changedFields, contactHolders, mayChangeRoles, mayCorrect, planHolders, refusedChanges } from '../../src/core/permissions.ts';

// People of ours, by id.
const ADMIN = 1, MANAGER = 2, OWNER = 3, STRANGER = 4, NEWCOMER = 5;
const as = (id: number) => ({ id, isAdmin: id === ADMIN });
const acme = { accountManagerId: MANAGER };
const unmanaged = { accountManagerId: null };
const zhang = { ownerAId: OWNER, ownerBId: null, ownerCId: null };

describe('who may change roles (issue 14)', () => {
  it.each([
    // record, holders, actor, may
    ['an account', accountHolders(acme), ADMIN, true],
    ['an account', accountHolders(acme), MANAGER, true],
    ['an account', accountHolders(acme), OWNER, false],
    ['an account', accountHolders(acme), STRANGER, false],
    ['an account without a manager', accountHolders(unmanaged), ADMIN, true],
    ['an account without a manager', accountHolders(unmanaged), MANAGER, false],
    ['an account without a manager', accountHolders(unmanaged), STRANGER, false],
    ['a contact', contactHolders(acme, zhang), ADMIN, true],
    ['a contact', contactHolders(acme, zhang), MANAGER, true],
    ['a contact', contactHolders(acme, zhang), OWNER, true],
    ['a contact', contactHolders(acme, zhang), STRANGER, false],
    ['a contact without owners on an account without a manager', contactHolders(unmanaged, { ownerAId: null, ownerBId: null, ownerCId: null }), STRANGER, false],
    ['a contact without owners on an account without a manager', contactHolders(unmanaged, { ownerAId: null, ownerBId: null, ownerCId: null }), ADMIN, true],
    ['a contact, by its third owner', contactHolders(acme, { ownerAId: null, ownerBId: null, ownerCId: NEWCOMER }), NEWCOMER, true],
    ['a plan', planHolders(acme, { ownerId: OWNER }), OWNER, true],
    ['a plan', planHolders(acme, { ownerId: OWNER }), MANAGER, true],
    ['a plan', planHolders(acme, { ownerId: OWNER }), STRANGER, false],
  ] as const)('%s: person %i → %s', (_record, holders, who, may) => {
    expect(mayChangeRoles(as(who), holders)).toBe(may);
    expect(refusedChanges(as(who), holders, ['tier', 'account_manager'])).toEqual(may ? [] : ['tier', 'account_manager']);
  });

  it('is decided on who holds the role now: naming yourself in the same change does not count', () => {
    const before = { account_manager: null, tier: 'general' };
    const after = { account_manager: STRANGER, tier: 'strategic' };
    const changed = changedFields(before, after);
    expect(changed).toEqual(['account_manager', 'tier']);
    expect(refusedChanges(as(STRANGER), accountHolders({ accountManagerId: before.account_manager }), changed)).toEqual(changed);
    // Once the hand-over is saved, the new manager holds it and the old one does not.
    expect(mayChangeRoles(as(NEWCOMER), accountHolders({ accountManagerId: NEWCOMER }))).toBe(true);
    expect(mayChangeRoles(as(MANAGER), accountHolders({ accountManagerId: NEWCOMER }))).toBe(false);
  });

  it('only values that change count: unchanged roles in an edit of other fields are never refused', () => {
    expect(changedFields({ tier: 'priority', sponsor: 7, account_manager: MANAGER }, { tier: 'priority', sponsor: 7, account_manager: MANAGER })).toEqual([]);
    expect(changedFields({ owner_a: 3, owner_b: null }, { owner_a: 3, owner_b: 'new' })).toEqual(['owner_b']);
    expect(changedFields({ owner_a: 3 }, { owner_a: null })).toEqual(['owner_a']);
    expect(refusedChanges(as(STRANGER), accountHolders(acme), [])).toEqual([]);
  });

  it('for any holders and actor: allowed exactly when admin or one of the holders (property)', () => {
    const id = fc.integer({ min: 1, max: 20 });
    fc.assert(
      fc.property(id, fc.boolean(), fc.array(fc.option(id, { nil: null }), { maxLength: 4 }), (actor, isAdmin, holders) => {
        expect(mayChangeRoles({ id: actor, isAdmin }, holders)).toBe(isAdmin || holders.includes(actor));
      }),
    );
  });
});

describe('who may correct a visit, rating or next step (issue 15)', () => {
  it('its author and admins; nobody but admins when it has no author', () => {
    expect(mayCorrect({ id: 7, isAdmin: false }, 7)).toBe(true);
    expect(mayCorrect({ id: 8, isAdmin: false }, 7)).toBe(false);
    expect(mayCorrect({ id: 8, isAdmin: true }, 7)).toBe(true);
    expect(mayCorrect({ id: 8, isAdmin: false }, null)).toBe(false);
    expect(mayCorrect({ id: 8, isAdmin: true }, null)).toBe(true);
  });
});
