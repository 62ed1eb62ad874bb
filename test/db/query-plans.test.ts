import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsOfQuery } from '../../src/db/account.repository.ts';
import { createDb, migrateToLatest, type Db } from '../../src/db/create-db.ts';

/**
 * Queries run for every user request must not read a whole table: at 100,000 accounts a scan
 * of accounts and of their million contacts is ~200 ms a Home tab (bench --load, issue 19).
 * SQLite's plan says SCAN for a full read, SEARCH for an index's.
 */
describe('query plans on SQLite', () => {
  let dir: string;
  let db: Db;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcr-plans-'));
    db = createDb(`file:${join(dir, 'mcr.sqlite')}`);
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const plan = async (query: { compile(): { sql: string; parameters: readonly unknown[] } }) => {
    const { sql: text, parameters } = query.compile();
    const { rows } = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${text}`, [...parameters]));
    return rows.map((r) => r.detail);
  };

  it('the accounts a person holds a role on or owns a contact of (Home, `mine`): every term from an index', async () => {
    const details = await plan(accountsOfQuery(db, 7));
    expect(details.join('\n')).toMatch(/MULTI-INDEX OR/);
    for (const index of ['account_manager_id', 'solution_manager_id', 'delivery_manager_id', 'sponsor_id', 'owner_a_id', 'owner_b_id', 'owner_c_id']) {
      expect(details.some((d) => d.includes(`_${index}`)), `${index} in\n${details.join('\n')}`).toBe(true);
    }
    expect(details.filter((d) => /^SCAN (accounts|contacts)\b/.test(d))).toEqual([]);
  });
});
