import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { accountsOfQuery } from '../../src/db/account.repository.ts';
import { ratingsForAttitudeQuery } from '../../src/db/rating.repository.ts';
import { tempDb } from '../helpers/db.ts';
import { TEST_ENGINE } from '../helpers/engine.ts';

/**
 * Queries run for every user request must not read a whole table: at 100,000 accounts a scan
 * of accounts and of their million contacts is ~200 ms a Home tab (bench --load, issue 19).
 * SQLite's plan says SCAN for a full read, SEARCH for an index's.
 */
describe('query plans on SQLite', () => {
  it.skipIf(TEST_ENGINE === 'postgres')('the accounts a person holds a role on or owns a contact of (Home, `mine`): every term from an index', async () => {
    const { db, cleanup } = await tempDb();
    try {
      const { sql, parameters } = accountsOfQuery(db, 7).compile();
      const { rows } = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${sql}`, [...parameters]));
      const details = rows.map((r) => r.detail);
      expect(details.join('\n')).toMatch(/MULTI-INDEX OR/);
      for (const index of ['account_manager_id', 'solution_manager_id', 'delivery_manager_id', 'sponsor_id', 'owner_a_id', 'owner_b_id', 'owner_c_id']) {
        expect(details.some((d) => d.includes(`_${index}`)), `${index} in\n${details.join('\n')}`).toBe(true);
      }
      expect(details.filter((d) => /^SCAN (accounts|contacts)\b/.test(d))).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it.skipIf(TEST_ENGINE === 'postgres')('the ratings an attitude is computed from (brief, digests): from one index, none fetched from the table', async () => {
    const { db, cleanup } = await tempDb();
    try {
      const { sql, parameters } = ratingsForAttitudeQuery(db, [1, 2, 3], '2025-01-01', '2026-01-01').compile();
      const { rows } = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${sql}`, [...parameters]));
      const details = rows.map((r) => r.detail).join('\n');
      expect(details).toMatch(/SEARCH ratings USING COVERING INDEX ratings_contact_date_values/);
    } finally {
      await cleanup();
    }
  });
});
