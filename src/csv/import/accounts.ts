import { insertAccountRows, insertTierChangeRows, updateAccountRow } from '../../db/bulk-load.repository.ts';
import { allAccountRows } from '../../db/export.repository.ts';
import type { AccountRow, NewAccountRow } from '../../db/schema.ts';
import { TIERS } from '../../domain/model.ts';
import { nameKey } from '../../domain/names.ts';
import { choice, freeText, has, integer, nameCell, text } from './cells.ts';
import { changes, noCounts, type ImporterFactory } from './importer.ts';
import { accountLookup, peopleLookup, settled } from './lookups.ts';

/** Accounts, matched by name: a new name is created, a known one updated where the file differs. */

/** An account's people: the CSV column and the stored one. */
const MANAGERS = [
  ['account_manager', 'account_manager_id'], ['solution_manager', 'solution_manager_id'], ['delivery_manager', 'delivery_manager_id'], ['sponsor', 'sponsor_id'],
] as const;

export const importAccounts: ImporterFactory = async (trx, options) => {
  const accounts = accountLookup(await allAccountRows(trx));
  const person = await peopleLookup(trx, options.now);
  const counts = noCounts();
  type Parsed = { key: string; name: string; set: Partial<AccountRow> };
  return {
    keyColumn: 'name',
    counts,
    parse(row) {
      const name = nameCell(row, 'name');
      const set: Partial<AccountRow> = { name, name_key: nameKey(name) };
      if (has(row, 'tier')) set.tier = choice(row, 'tier', 'tier', TIERS) ?? 'general';
      for (const c of ['industry', 'region'] as const) if (has(row, c)) set[c] = freeText(row, c, false);
      for (const c of ['contribution', 'credit', 'potential'] as const) if (has(row, c)) set[c] = integer(row, c, 1, 5);
      // A column the file leaves out leaves its person as stored (undefined here).
      return settled(MANAGERS.map(([c]) => (has(row, c) ? person(text(row, c), c) : undefined)), (people) => {
        MANAGERS.forEach(([, field], i) => {
          if (people[i] !== undefined) set[field] = people[i];
        });
        return { key: set.name_key!, name, set } satisfies Parsed;
      });
    },
    async write(batch) {
      const now = options.now.toISOString();
      const fresh: NewAccountRow[] = [];
      for (const { key, set } of batch as Parsed[]) {
        const stored = accounts.byKey.get(key);
        if (!stored) {
          // Completed in place, not copied: the parsed row is not used again.
          set.tier ??= 'general';
          set.tier_set_on = set.created_on = options.today;
          set.updated_at = now;
          fresh.push(set as NewAccountRow);
          continue;
        }
        const diff = changes(stored, set);
        if (Object.keys(diff).length === 0) {
          counts.unchanged++;
          continue;
        }
        if (diff.tier) {
          // §1 a tier change is history, whoever makes it.
          await insertTierChangeRows(trx, [{ account_id: stored.id, from_tier: stored.tier, to_tier: diff.tier, reason: 'import', changed_by: options.actorId, changed_on: options.today, changed_at: now }]);
          Object.assign(diff, { tier_set_on: options.today, tier_reviewed_on: null });
        }
        await updateAccountRow(trx, stored.id, { ...diff, updated_at: now });
        counts.updated++;
      }
      // The lookups keep the rows stored before the import: a file names each account once
      // (a repeat is refused as such), so none is looked up again.
      const ids = await insertAccountRows(trx, fresh);
      await insertTierChangeRows(trx, fresh.map((a, i) => ({ account_id: ids[i]!, from_tier: null, to_tier: a.tier, reason: 'import', changed_by: options.actorId, changed_on: options.today, changed_at: now })));
      counts.created += ids.length;
    },
  };
};
