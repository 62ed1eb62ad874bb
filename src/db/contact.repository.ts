import type { IsoDate } from '../domain/dates.ts';
import type { Position, Role, Style } from '../domain/model.ts';
import { nameKey } from '../domain/names.ts';
import type { Contact } from '../domain/types.ts';
import type { DbOrTrx } from './create-db.ts';
import type { ContactRow } from './schema.ts';
import { ConflictError } from '../domain/errors.ts';
import { fromFlag, likePrefix, refusingDuplicates, toFlag } from './sql.ts';

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    title: row.title,
    department: row.department,
    position: row.position as Position | null,
    role: row.role as Role,
    ownerAId: row.owner_a_id,
    ownerBId: row.owner_b_id,
    ownerCId: row.owner_c_id,
    style: row.style as Style | null,
    needLevel: row.need_level,
    birthday: row.birthday,
    birthYear: row.birth_year,
    risingStar: fromFlag(row.rising_star),
    notes: row.notes,
    createdOn: row.created_on,
  };
}

export type ContactFields = Omit<Contact, 'id' | 'createdOn'>;

function toRow(fields: Partial<ContactFields>) {
  return {
    ...(fields.accountId !== undefined && { account_id: fields.accountId }),
    ...(fields.name !== undefined && { name: fields.name, name_key: nameKey(fields.name) }),
    ...(fields.title !== undefined && { title: fields.title }),
    ...(fields.department !== undefined && { department: fields.department }),
    ...(fields.position !== undefined && { position: fields.position }),
    ...(fields.role !== undefined && { role: fields.role }),
    ...(fields.ownerAId !== undefined && { owner_a_id: fields.ownerAId }),
    ...(fields.ownerBId !== undefined && { owner_b_id: fields.ownerBId }),
    ...(fields.ownerCId !== undefined && { owner_c_id: fields.ownerCId }),
    ...(fields.style !== undefined && { style: fields.style }),
    ...(fields.needLevel !== undefined && { need_level: fields.needLevel }),
    ...(fields.birthday !== undefined && { birthday: fields.birthday }),
    ...(fields.birthYear !== undefined && { birth_year: fields.birthYear }),
    ...(fields.risingStar !== undefined && { rising_star: toFlag(fields.risingStar) }),
    ...(fields.notes !== undefined && { notes: fields.notes }),
  };
}

/**
 * A new contact. Names are unique within an account: a clash — also with a contact a
 * concurrent request just added — is a {@link ConflictError}, found without breaking
 * the caller's transaction (PostgreSQL aborts a transaction on a failed statement).
 */
export async function insertContact(db: DbOrTrx, fields: ContactFields, today: IsoDate, now: Date): Promise<Contact> {
  const row = await db
    .insertInto('contacts')
    .values({ ...toRow(fields), account_id: fields.accountId, name: fields.name, name_key: nameKey(fields.name), created_on: today, updated_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['account_id', 'name_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw await contactExists(db, fields.accountId, fields.name);
  return toContact(row);
}

async function contactExists(db: DbOrTrx, accountId: number, name: string): Promise<ConflictError> {
  const account = await db.selectFrom('accounts').select('name').where('id', '=', accountId).executeTakeFirst();
  return new ConflictError('contact.exists', { name, account: account?.name ?? '' });
}

export async function updateContact(db: DbOrTrx, id: number, fields: Partial<ContactFields>, now: Date): Promise<Contact> {
  // Read first: after a refused statement PostgreSQL answers nothing more in this transaction.
  const account = fields.name === undefined ? undefined : await db.selectFrom('contacts').innerJoin('accounts', 'accounts.id', 'contacts.account_id').select('accounts.name').where('contacts.id', '=', id).executeTakeFirst();
  const row = await refusingDuplicates('name_key', () => new ConflictError('contact.exists', { name: fields.name ?? '', account: account?.name ?? '' }), () =>
    db.updateTable('contacts').set({ ...toRow(fields), updated_at: now.toISOString() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
  );
  return toContact(row);
}

export async function findContactById(db: DbOrTrx, id: number): Promise<Contact | undefined> {
  const row = await db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toContact(row);
}

export async function listContactsOfAccount(db: DbOrTrx, accountId: number): Promise<Contact[]> {
  const rows = await db.selectFrom('contacts').selectAll().where('account_id', '=', accountId).orderBy('name').execute();
  return rows.map(toContact);
}

/** The contacts of several accounts, by name, in one query. */
export async function listContactsOfAccounts(db: DbOrTrx, accountIds: readonly number[]): Promise<Contact[]> {
  if (accountIds.length === 0) return [];
  const rows = await db.selectFrom('contacts').selectAll().where('account_id', 'in', accountIds).orderBy('name').execute();
  return rows.map(toContact);
}

/** Contacts whose name key equals, or else starts with, the query's key; within one account when given. */
export async function searchContacts(db: DbOrTrx, query: string, accountId?: number, limit = 10): Promise<Contact[]> {
  const key = nameKey(query);
  let base = db.selectFrom('contacts').selectAll();
  if (accountId !== undefined) base = base.where('account_id', '=', accountId);
  const exact = await base.where('name_key', '=', key).limit(limit).execute();
  if (exact.length > 0) return exact.map(toContact);
  const rows = await base.where('name_key', 'like', likePrefix(key)).orderBy('name_key').limit(limit).execute();
  return rows.map(toContact);
}

/** Contact names for "did you mean" suggestions (one account's, or everyone's). */
export async function listContactNames(db: DbOrTrx, accountId?: number): Promise<Array<{ id: number; name: string; accountId: number }>> {
  let query = db.selectFrom('contacts').select(['id', 'name', 'account_id as accountId']).orderBy('name');
  if (accountId !== undefined) query = query.where('account_id', '=', accountId);
  return query.execute();
}
