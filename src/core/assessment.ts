import { findPeopleByIds } from '../db/person.repository.ts';
import { loadAccountSnapshot } from '../db/snapshot.repository.ts';
import { assessAccount, type AccountAssessment } from '../domain/assess.ts';
import type { Account, Person } from '../domain/types.ts';
import type { Context } from './command.ts';

export interface AccountView {
  assessment: AccountAssessment;
  /** Our people named anywhere in the assessment, by id. */
  people: Map<number, Person>;
}

/** Loads an account and applies every rule to it as of `ctx.today`. */
export async function assess(ctx: Context, account: Account): Promise<AccountView> {
  const snapshot = await loadAccountSnapshot(ctx.db, account, ctx.today, ctx.rules);
  const assessment = assessAccount(snapshot, ctx.today, ctx.rules);
  const ids = [
    account.accountManagerId, account.solutionManagerId, account.deliveryManagerId, account.sponsorId,
    ...snapshot.contacts.flatMap((c) => [c.ownerAId, c.ownerBId, c.ownerCId]),
    ...snapshot.plans.flatMap((p) => [p.ownerId, p.sponsorId]),
  ].filter((id): id is number => id !== null);
  return { assessment, people: await findPeopleByIds(ctx.db, ids) };
}
