import { insertContactRows, updateContactRow } from '../../db/bulk-load.repository.ts';
import { allAccountRows, allContactRows } from '../../db/export.repository.ts';
import type { ContactRow, NewContactRow } from '../../db/schema.ts';
import { POSITIONS, ROLES, STYLES } from '../../domain/model.ts';
import { nameKey } from '../../domain/names.ts';
import { birthday, CellError, choice, flag, freeText, has, integer, nameCell, text } from './cells.ts';
import { repeatedOwner } from '../../domain/owners.ts';
import { changes, noCounts, type ImporterFactory } from './importer.ts';
import { accountLookup, contactKey, peopleLookup, settled } from './lookups.ts';

/** Contacts, matched by account and name: a new one is created, a known one updated where the file differs. */

/** A contact's owners, by CSV column (stored as `<column>_id`). */
const OWNERS = ['owner_a', 'owner_b', 'owner_c'] as const;

export const importContacts: ImporterFactory = async (trx, options) => {
  const accounts = accountLookup(await allAccountRows(trx));
  const contacts = new Map((await allContactRows(trx)).map((c) => [contactKey(c.account_id, c.name_key), c]));
  const person = await peopleLookup(trx, options.now);
  const counts = noCounts();
  type Parsed = { key: string; set: Partial<ContactRow> & { account_id: number; name: string; name_key: string } };
  return {
    keyColumn: 'name',
    counts,
    parse(row) {
      const accountId = accounts.id(row, 'account');
      const name = nameCell(row, 'name');
      const set: Parsed['set'] = { account_id: accountId, name, name_key: nameKey(name) };
      const key = contactKey(accountId, set.name_key);
      for (const c of ['title', 'department', 'notes'] as const) if (has(row, c)) set[c] = freeText(row, c, c === 'notes');
      if (has(row, 'position')) set.position = choice({ position: row.position?.toUpperCase() ?? '' }, 'position', 'position', POSITIONS);
      if (has(row, 'role')) set.role = choice(row, 'role', 'role', ROLES) ?? 'none';
      if (has(row, 'style')) set.style = choice(row, 'style', 'style', STYLES);
      if (has(row, 'need_level')) set.need_level = integer(row, 'need_level', 1, 5);
      if (has(row, 'rising_star')) set.rising_star = flag(row, 'rising_star');
      const owners = OWNERS.map((c) => (has(row, c) ? person(text(row, c), c) : undefined));
      if (has(row, 'birthday')) Object.assign(set, birthday(row));
      return settled(owners, (people) => {
        // mcr-model.md §2: one person as two owners hides a single-owner relationship.
        const repeat = repeatedOwner(people.map((id) => id ?? null));
        if (repeat) throw new CellError(OWNERS[repeat.slot]!, { code: 'validation.same_owner', values: { other: OWNERS[repeat.same]! } });
        OWNERS.forEach((c, i) => {
          if (people[i] !== undefined) set[`${c}_id`] = people[i];
        });
        return { key, set } satisfies Parsed;
      });
    },
    async write(batch) {
      const now = options.now.toISOString();
      const fresh: NewContactRow[] = [];
      for (const { key, set } of batch as Parsed[]) {
        const stored = contacts.get(key);
        if (!stored) {
          set.created_on = options.today;
          set.updated_at = now;
          fresh.push(set as NewContactRow);
          continue;
        }
        const diff = changes(stored, set);
        if (Object.keys(diff).length === 0) counts.unchanged++;
        else {
          await updateContactRow(trx, stored.id, { ...diff, updated_at: now });
          counts.updated++;
        }
      }
      // Not looked up again: a file names each contact once (a repeat is refused as such).
      await insertContactRows(trx, fresh);
      counts.created += fresh.length;
    },
  };
};
