import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb, migrateToLatest, type Db } from '../../src/db/create-db.ts';
import { tempDb } from '../helpers/db.ts';
import { TEST_ENGINE } from '../helpers/engine.ts';

/** SQLite's prepared statements are kept per SQL text and reused (create-db.ts); reuse must never change an answer. */
describe('SQLite statement cache', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcr-stmt-'));
    db = createDb(`file:${join(dir, 'mcr.sqlite')}`);
    await migrateToLatest(db);
    await db.insertInto('accounts').values(['Acme', 'Bolt', 'Core'].map((name) => ({ name, name_key: name.toLowerCase(), tier: 'general', tier_set_on: '2026-11-24', created_on: '2026-11-24', updated_at: 'now' }))).execute();
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const names = () => db.selectFrom('accounts').select('name').orderBy('id');

  it('reuses a statement whose stream was left part-way', async () => {
    for await (const row of names().stream()) {
      expect(row.name).toBe('Acme');
      break;
    }
    const streamed: string[] = [];
    for await (const row of names().stream()) streamed.push(row.name);
    expect(streamed).toEqual(['Acme', 'Bolt', 'Core']);
    expect((await names().execute()).map((r) => r.name)).toEqual(['Acme', 'Bolt', 'Core']);
  });

  it('answers with fresh data and the current schema', async () => {
    const all = () => db.selectFrom('accounts').selectAll().where('name', '=', 'Acme').executeTakeFirstOrThrow();
    expect(await all()).not.toHaveProperty('colour');
    await db.updateTable('accounts').set({ industry: 'Telecom' }).where('name', '=', 'Acme').execute();
    await sql`alter table accounts add column colour text`.execute(db);
    expect(await all()).toMatchObject({ industry: 'Telecom', colour: null });
  });
});

/**
 * better-sqlite3 answers on the calling thread: without a turn of the event loop after each
 * query, a brief's queries ran back to back and a Slack request waited for its ack until they
 * were done (create-db.ts, bench --load).
 */
describe('SQLite queries and the event loop', () => {
  it.skipIf(TEST_ENGINE === 'postgres')('lets the event loop turn after each query, so that waiting I/O is served in between', async () => {
    const { db, cleanup } = await tempDb();
    try {
      const order: string[] = [];
      // Queued before the first query: served before its rows are handed on.
      setImmediate(() => order.push('waiting'));
      await db.selectFrom('accounts').select('id').execute();
      order.push('first query');
      setImmediate(() => order.push('waiting again'));
      await db.selectFrom('contacts').select('id').execute();
      order.push('second query');
      expect(order).toEqual(['waiting', 'first query', 'waiting again', 'second query']);
    } finally {
      await cleanup();
    }
  });
});
