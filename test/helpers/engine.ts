import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Which engine this test run uses: vitest.config.ts runs the engine-dependent
 * folders once on SQLite and once on PostgreSQL (`MCR_TEST_ENGINE=postgres`).
 */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.MCR_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/** The PostgreSQL server of these machines (trust auth); the suite makes a database per test and drops it. */
export const PG_ADMIN_URL = process.env.MCR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Is the PostgreSQL server up? */
export async function postgresReachable(): Promise<boolean> {
  try {
    await admin((c) => c.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh, empty database for one test on this run's engine: a SQLite file in a
 * temporary folder, or a new PostgreSQL database. `cleanup` removes it; `dir` is a
 * temporary folder either way.
 */
export async function testDatabase(): Promise<{ url: string; dir: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'mcr-test-'));
  if (TEST_ENGINE === 'sqlite') {
    return { url: `file:${join(dir, 'mcr.sqlite')}`, dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const database = await postgresDatabase();
  return {
    url: database.url,
    dir,
    cleanup: async () => {
      rmSync(dir, { recursive: true, force: true });
      await database.cleanup();
    },
  };
}

/** A new, empty PostgreSQL database whatever this run's engine (`mcr copy` goes from SQLite to PostgreSQL). */
export async function postgresDatabase(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const name = `mcr_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), cleanup: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined) };
}
