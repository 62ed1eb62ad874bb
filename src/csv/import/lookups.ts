import { allAccountNames, allPeopleRefs, contactKeysOf, pageContactNames } from '../../db/export.repository.ts';
import { insertPersonRow } from '../../db/bulk-load.repository.ts';
import { isEmail } from '../../db/person.repository.ts';
import type { DbOrTrx } from '../../db/create-db.ts';
import type { AccountRow } from '../../db/schema.ts';
import { nameKey } from '../../domain/names.ts';
import { CellError, required, type Row } from './cells.ts';
import { ContactIds } from './contact-ids.ts';

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
    if (!adding.has(key)) adding.set(key, heard(added(ref, column)));
    return adding.get(key)!;
  };
}

/**
 * The promise, its failure marked as heard: a row refused for another cell before it waits
 * for this one (`settled`) must not leave a failed lookup unhandled (which ends the process).
 * Whoever awaits it still gets the failure.
 */
function heard<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * `finish(values)` at once when every value is at hand, else once the promises among
 * them settle: a row waits only when it names a new person or a contact spelt otherwise
 * than stored (see {@link contactIdLookup}), and a row that does not costs no promise (a
 * million-row import notices one a row).
 */
export function settled<T, R>(values: Array<T | Promise<T>>, finish: (values: T[]) => R): R | Promise<R> {
  return values.some((v) => v instanceof Promise) ? Promise.all(values).then(finish) : finish(values as T[]);
}

/**
 * Rows by name key, and ids by the name exactly as a file spells it: an exported file
 * (and most others) repeats stored names verbatim, and an exact hit skips the name-key
 * normalisation that would otherwise run for every reference of every row.
 */
export function accountLookup<A extends Pick<AccountRow, 'id' | 'name' | 'name_key'>>(rows: A[]) {
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

/**
 * Contact ids by account and name as a file spells it, for the imports that name contacts
 * (activities, ratings), read a page at a time into {@link ContactIds}: a million contacts
 * (×10 in the bench) read whole, with their name keys, were the largest part of those
 * imports' memory. A name spelt otherwise than stored (case, spaces) is looked up by
 * its name key among its account's contacts, read the first time the account needs it:
 * such a row waits for that read, as a row naming a new person does (see {@link settled}).
 */
export async function contactIdLookup(trx: DbOrTrx) {
  const byName = new ContactIds();
  for await (const page of pageContactNames(trx)) for (const c of page) byName.add(c.account_id, c.name, c.id);
  const byKey = new Map<number, Promise<Map<string, number>>>();
  const keysOf = (accountId: number) =>
    byKey.get(accountId) ?? byKey.set(accountId, contactKeysOf(trx, accountId).then((rows) => new Map(rows.map((r) => [r.name_key, r.id])))).get(accountId)!;
  return (accountId: number, name: string, column: string): number | Promise<number> => {
    const exact = byName.get(accountId, name);
    if (exact !== undefined) return exact;
    return heard(
      keysOf(accountId).then((keys) => {
        const id = keys.get(nameKey(name));
        if (id === undefined) throw new CellError(column, { code: 'import.problem.no_contact', values: { name } });
        return id;
      }),
    );
  };
}

/**
 * What an activity or a rating names: its account, the account's contacts and people.
 */
export async function recordLookups(trx: DbOrTrx, now: Date) {
  return {
    accounts: accountLookup(await allAccountNames(trx)),
    contact: await contactIdLookup(trx),
    person: await peopleLookup(trx, now),
  };
}
