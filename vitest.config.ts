import { configDefaults, defineConfig } from 'vitest/config';
import { PG_ADMIN_URL, postgresReachable } from './test/helpers/engine.ts';

/** The folders whose tests touch the database: they run on SQLite and again on PostgreSQL. */
const ENGINE_DEPENDENT = ['db', 'commands', 'core', 'csv', 'cli', 'console', 'scheduler', 'slack', 'teams'].map((folder) => `test/${folder}/**/*.test.ts`);

/**
 * Tests that only make sense on PostgreSQL and need no second run: the packed production
 * install started as the image starts it (a few minutes: better-sqlite3 compiles), and two
 * instances migrating one database at once. They run in the postgres project only.
 */
const POSTGRES_ONLY = ['test/deploy/packed-install.test.ts', 'test/deploy/migrate-together.test.ts'];

export default defineConfig(async () => {
  const postgres = process.env.MCR_TEST_SQLITE_ONLY !== 'true' && (await postgresReachable());
  if (!postgres) {
    process.stderr.write(`\n!!! PostgreSQL suite SKIPPED: no server at ${PG_ADMIN_URL} (or MCR_TEST_SQLITE_ONLY=true). Only SQLite was tested; the packed-install (container) test did not run. !!!\n\n`);
  }
  const shared = {
    // CLI and console tests start real processes; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  };
  return {
    test: {
      projects: [
        { test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...POSTGRES_ONLY] } },
        ...(postgres ? [{ test: { ...shared, name: 'postgres', include: [...ENGINE_DEPENDENT, ...POSTGRES_ONLY], env: { MCR_TEST_ENGINE: 'postgres' } } }] : []),
      ],
    },
  };
});
