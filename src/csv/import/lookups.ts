import { allAccountRows, allContactNames, allPeopleRefs, type ContactName } from '../../db/export.repository.ts';
import { insertPersonRow } from '../../db/bulk-load.repository.ts';
import { isEmail } from '../../db/person.repository.ts';
import type { DbOrTrx } from '../../db/create-db.ts';
import type { AccountRow } from '../../db/schema.ts';
import { nameKey } from '../../domain/names.ts';
import { CellError, required, type Row } from './cells.ts';

/**
 * Where an import looks names up, read once at its start: people, accounts and
 * contacts, each by the name as a file spells it and by its name key.
 */

/**
 * Our people, by email, Slack or Teams id, console user or name; new emails are added.
 * A known person's id comes back at once, a new one's as a promise (written first):
 * callers wait only then ({@link settled}), as a promise per row of a large file is measurable.
 */
export async function peopleLookup(trx: DbOrTrx, now: Date) {
  const byRef = new Map<string, number>();
  for (const p of await allPeopleRefs(trx)) {
    for (const ref of [p.email, p.slack_id, p.teams_id, p.local_user, p.name]) if (ref && !byRef.has(ref.toLowerCase())) byRef.set(ref.toLowerCase(), p.id);
  }
  const added = async (ref: string, column: string): Promise<number> => {
    let id: number;
    if (isEmail(ref)) id = await insertPersonRow(trx, ref.split('@')[0]!, { email: ref.toLowerCase() }, now);
    else if (/^[UW][A-Z0-9]{6,}$/.test(ref)) id = await insertPersonRow(trx, ref, { slack_id: ref }, now);
    else throw new CellError(column, { code: 'import.problem.unknown_person', values: { value: ref } });
    byRef.set(ref.toLowerCase(), id);
    return id;
  };
  // A new person named twice before the first insert settles (two owners of a row, two rows) is inserted once.
  const adding = new Map<string, Promise<number>>();
  return (cell: string | null, column: string): number | null | Promise<number> => {
    const ref = cell?.replace(/^@/, '');
    if (!ref) return null;
    const key = ref.toLowerCase();
    const known = byRef.get(key);
    if (known !== undefined) return known;
    if (!adding.has(key)) adding.set(key, added(ref, column));
    return adding.get(key)!;
  };
}

/**
 * `finish(values)` at once when every value is at hand, else once the promises among
 * them settle: a row waits only when it names a new person, and a row that does not
 * costs no promise (a million-row import notices one a row).
 */
export function settled<T, R>(values: Array<T | Promise<T>>, finish: (values: T[]) => R): R | Promise<R> {
  return values.some((v) => v instanceof Promise) ? Promise.all(values).then(finish) : finish(values as T[]);
}

/**
 * Rows by name key, and ids by the name exactly as a file spells it: an exported file
 * (and most others) repeats stored names verbatim, and an exact hit skips the name-key
 * normalisation that would otherwise run for every reference of every row.
 */
export function accountLookup(rows: AccountRow[]) {
  const byKey = new Map(rows.map((r) => [r.name_key, r]));
  const byName = new Map(rows.map((r) => [r.name, r.id]));
  return {
    byKey,
    id(row: Row, column: string): number {
      const name = required(row, column);
      const exact = byName.get(name);
      if (exact !== undefined) return exact;
      const account = byKey.get(nameKey(name));
      if (!account) throw new CellError(column, { code: 'import.problem.no_account', values: { name } });
      return account.id;
    },
  };
}

/** A contact's key within an import: its account and its name key. */
export const contactKey = (accountId: number, key: string) => `${accountId}:${key}`;

export function contactLookup<C extends ContactName>(rows: C[]) {
  // Per account, then by name: no key string to build for every lookup.
  const byName = new Map<number, Map<string, number>>();
  // By name key, built the first time it is needed (a file spelling names as stored never
  // needs it, and for 100,000 contacts it is a tenth of an activity import's live heap).
  let keyed: Map<string, C> | undefined;
  const byKey = () => (keyed ??= new Map(rows.map((r) => [contactKey(r.account_id, r.name_key), r])));
  const named = (row: C) => {
    let names = byName.get(row.account_id);
    if (!names) byName.set(row.account_id, (names = new Map()));
    names.set(row.name, row.id);
  };
  rows.forEach(named);
  return {
    byKey,
    id(accountId: number, name: string, column: string): number {
      const exact = byName.get(accountId)?.get(name);
      if (exact !== undefined) return exact;
      const contact = byKey().get(contactKey(accountId, nameKey(name)));
      if (!contact) throw new CellError(column, { code: 'import.problem.no_contact', values: { name } });
      return contact.id;
    },
  };
}

/**
 * What an activity or a rating names: its account, the account's contacts (by name only,
 * a large import holds every contact's) and people.
 */
export async function recordLookups(trx: DbOrTrx, now: Date) {
  return {
    accounts: accountLookup(await allAccountRows(trx)),
    contacts: contactLookup(await allContactNames(trx)),
    person: await peopleLookup(trx, now),
  };
}
