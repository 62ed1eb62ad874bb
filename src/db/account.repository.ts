import { type ExpressionBuilder, sql } from 'kysely';
import type { IsoDate } from '../domain/dates.ts';
import type { Tier } from '../domain/model.ts';
import { nameKey } from '../domain/names.ts';
import type { Account } from '../domain/types.ts';
import type { DbOrTrx } from './create-db.ts';
import type { AccountRow, Database } from './schema.ts';
import { ConflictError } from '../domain/errors.ts';
import { likePrefix, refusingDuplicates } from './sql.ts';

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    tier: row.tier as Tier,
    industry: row.industry,
    region: row.region,
    contribution: row.contribution,
    credit: row.credit,
    potential: row.potential,
    accountManagerId: row.account_manager_id,
    solutionManagerId: row.solution_manager_id,
    deliveryManagerId: row.delivery_manager_id,
    sponsorId: row.sponsor_id,
    tierSetOn: row.tier_set_on,
    tierReviewedOn: row.tier_reviewed_on,
    createdOn: row.created_on,
  };
}

/** The editable fields of an account (everything but its tier, which changes through {@link changeTier}). */
export type AccountFields = Omit<Account, 'id' | 'tier' | 'tierSetOn' | 'tierReviewedOn' | 'createdOn'>;

function toRow(fields: Partial<AccountFields>) {
  return {
    ...(fields.name !== undefined && { name: fields.name, name_key: nameKey(fields.name) }),
    ...(fields.industry !== undefined && { industry: fields.industry }),
    ...(fields.region !== undefined && { region: fields.region }),
    ...(fields.contribution !== undefined && { contribution: fields.contribution }),
    ...(fields.credit !== undefined && { credit: fields.credit }),
    ...(fields.potential !== undefined && { potential: fields.potential }),
    ...(fields.accountManagerId !== undefined && { account_manager_id: fields.accountManagerId }),
    ...(fields.solutionManagerId !== undefined && { solution_manager_id: fields.solutionManagerId }),
    ...(fields.deliveryManagerId !== undefined && { delivery_manager_id: fields.deliveryManagerId }),
    ...(fields.sponsorId !== undefined && { sponsor_id: fields.sponsorId }),
  };
}

/** A new account, with its first tier kept as history (§1). */
export async function insertAccount(db: DbOrTrx, fields: AccountFields & { tier: Tier }, at: { by: number | null; today: IsoDate; now: Date }): Promise<Account> {
  const { today, now } = at;
  const row = await refusingDuplicates('name_key', () => new ConflictError('account.exists', { name: fields.name }), () =>
    db
      .insertInto('accounts')
      .values({
        ...toRow(fields),
        name: fields.name,
        name_key: nameKey(fields.name),
        tier: fields.tier,
        tier_set_on: today,
        created_on: today,
        updated_at: now.toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  await db
    .insertInto('tier_changes')
    .values({ account_id: row.id, kind: 'set', from_tier: null, to_tier: fields.tier, reason: null, changed_by: at.by, changed_on: today, changed_at: now.toISOString() })
    .execute();
  return toAccount(row);
}

export async function updateAccount(db: DbOrTrx, id: number, fields: Partial<AccountFields>, now: Date): Promise<Account> {
  const row = await refusingDuplicates('name_key', () => new ConflictError('account.exists', { name: fields.name ?? '' }), () =>
    db.updateTable('accounts').set({ ...toRow(fields), updated_at: now.toISOString() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
  );
  return toAccount(row);
}

/**
 * §1 a tier change or review, kept as history (who, when, from, to, why). A review
 * that keeps the tier records `kind: 'review'` and restarts the review clock.
 */
export async function changeTier(
  db: DbOrTrx,
  account: Account,
  to: Tier,
  change: { reason: string | null; by: number | null; today: IsoDate; now: Date },
): Promise<void> {
  const kind = to === account.tier ? 'review' : 'set';
  await db
    .insertInto('tier_changes')
    .values({
      account_id: account.id,
      kind,
      from_tier: account.tier,
      to_tier: to,
      reason: change.reason,
      changed_by: change.by,
      changed_on: change.today,
      changed_at: change.now.toISOString(),
    })
    .execute();
  await db
    .updateTable('accounts')
    .set(kind === 'set' ? { tier: to, tier_set_on: change.today, tier_reviewed_on: null } : { tier_reviewed_on: change.today })
    .set({ updated_at: change.now.toISOString() })
    .where('id', '=', account.id)
    .execute();
}

export async function listTierChanges(db: DbOrTrx, accountId: number) {
  return db.selectFrom('tier_changes').selectAll().where('account_id', '=', accountId).orderBy('id', 'desc').execute();
}

export async function findAccountById(db: DbOrTrx, id: number): Promise<Account | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toAccount(row);
}

/** The lowest account id, if there is an account (start-up warms the brief path on it). */
export async function firstAccountId(db: DbOrTrx): Promise<number | undefined> {
  const row = await db.selectFrom('accounts').select('id').orderBy('id').limit(1).executeTakeFirst();
  return row?.id;
}

/** Accounts whose name key equals, or else starts with, the query's key (at most `limit`). */
export async function searchAccounts(db: DbOrTrx, query: string, limit = 10): Promise<Account[]> {
  const key = nameKey(query);
  const exact = await db.selectFrom('accounts').selectAll().where('name_key', '=', key).execute();
  if (exact.length > 0) return exact.map(toAccount);
  const rows = await db.selectFrom('accounts').selectAll().where('name_key', 'like', likePrefix(key)).orderBy('name_key').limit(limit).execute();
  return rows.map(toAccount);
}

/** Accounts to offer before anything is typed: the person's own first, then by name. */
export async function accountsToOffer(db: DbOrTrx, personId: number, limit: number): Promise<Account[]> {
  const mine = sql<number>`case when ${sql.ref('account_manager_id')} = ${personId} or ${sql.ref('solution_manager_id')} = ${personId} or ${sql.ref('delivery_manager_id')} = ${personId} or ${sql.ref('sponsor_id')} = ${personId} then 0 else 1 end`;
  const rows = await db.selectFrom('accounts').selectAll().orderBy(mine).orderBy('name_key').limit(limit).execute();
  return rows.map(toAccount);
}

/** Accounts of a tier, or with these ids, by name. */
export async function listAccountsWhere(db: DbOrTrx, filter: { tier?: Tier; ids?: readonly number[] }): Promise<Account[]> {
  if (filter.ids?.length === 0) return [];
  let query = db.selectFrom('accounts').selectAll();
  if (filter.tier) query = query.where('tier', '=', filter.tier);
  if (filter.ids) query = query.where('id', 'in', filter.ids);
  return (await query.orderBy('name').execute()).map(toAccount);
}

/** Every account's id and name, for "did you mean" suggestions. */
export async function listAccountNames(db: DbOrTrx): Promise<Array<{ id: number; name: string }>> {
  return db.selectFrom('accounts').select(['id', 'name']).orderBy('name').execute();
}

/** Where a person holds a role on the account (iron triangle or sponsor), or owns one of its contacts. */
const heldBy = (personId: number) => (eb: ExpressionBuilder<Database, 'accounts'>) =>
  eb.or([
    eb('account_manager_id', '=', personId),
    eb('solution_manager_id', '=', personId),
    eb('delivery_manager_id', '=', personId),
    eb('sponsor_id', '=', personId),
    eb(
      'id',
      'in',
      eb
        .selectFrom('contacts')
        .select('account_id')
        .where((c) => c.or([c('owner_a_id', '=', personId), c('owner_b_id', '=', personId), c('owner_c_id', '=', personId)])),
    ),
  ]);

/** The query of {@link listAccountsOf} (its plan is tested: every term answered from an index). */
export const accountsOfQuery = (db: DbOrTrx, personId: number) => db.selectFrom('accounts').selectAll().where(heldBy(personId)).orderBy('name');

/** Accounts where a person holds a role (iron triangle or sponsor), or owns a contact. */
export async function listAccountsOf(db: DbOrTrx, personId: number): Promise<Account[]> {
  return (await accountsOfQuery(db, personId).execute()).map(toAccount);
}

/**
 * The ids of the accounts a filter selects (every account without one), in name order as
 * the lists above: what a digest of many accounts goes through part by part, loading each
 * part's accounts when it comes to them (8 bytes an account instead of the whole record).
 */
export async function listAccountIds(db: DbOrTrx, filter: { tier?: Tier; ids?: readonly number[]; personId?: number } = {}): Promise<number[]> {
  if (filter.ids?.length === 0) return [];
  let query = db.selectFrom('accounts').select('id');
  if (filter.tier) query = query.where('tier', '=', filter.tier);
  if (filter.ids) query = query.where('id', 'in', filter.ids);
  if (filter.personId !== undefined) query = query.where(heldBy(filter.personId));
  return (await query.orderBy('name').orderBy('id').execute()).map((r) => r.id);
}

export async function listAccounts(db: DbOrTrx): Promise<Account[]> {
  return (await db.selectFrom('accounts').selectAll().orderBy('name').execute()).map(toAccount);
}
