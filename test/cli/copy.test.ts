import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDatabase, postgresReachable, TEST_ENGINE, testDatabase } from '../helpers/engine.ts';
import { runMcr } from '../helpers/process.ts';

// From SQLite to PostgreSQL: run once, in the SQLite pass, when a server is there.
const run = TEST_ENGINE === 'sqlite' && (await postgresReachable());

describe.skipIf(!run)('mcr copy --to postgres://… (moving up from SQLite)', () => {
  let sqlite: Awaited<ReturnType<typeof testDatabase>>;
  let pg: Awaited<ReturnType<typeof postgresDatabase>>;
  beforeAll(async () => {
    sqlite = await testDatabase();
    pg = await postgresDatabase();
    expect((await runMcr(['demo', '--as-of', '2026-11-24'], { DATABASE_URL: sqlite.url })).code).toBe(0);
    expect((await runMcr(['digest', 'subscribe', '--channel', 'slack:C1'], { DATABASE_URL: sqlite.url })).code).toBe(0);
  });
  afterAll(async () => {
    await sqlite?.cleanup();
    await pg?.cleanup();
  });

  it('copies everything in one step, verifies it by the export of both, and the copy answers the same', async () => {
    const copy = await runMcr(['copy', '--to', pg.url], { DATABASE_URL: sqlite.url });
    expect(copy.stderr).toBe('');
    expect(copy.code).toBe(0);
    expect(copy.stdout).toMatch(/^Copied \d+ rows \(people \d+, accounts \d+, .*digest_subscriptions 1.*\); verified: the export of both is identical\.\n$/);
    const brief = async (url: string) => JSON.parse((await runMcr(['brief', 'Acme', '--json', '--as-of', '2026-11-24'], { DATABASE_URL: url })).stdout) as unknown;
    expect(await brief(pg.url)).toEqual(await brief(sqlite.url));
    // New rows on PostgreSQL get ids after the copied ones.
    const added = await runMcr(['account', 'add', 'After The Move', '--tier', 'general'], { DATABASE_URL: pg.url });
    expect(added.code, added.stderr).toBe(0);
  });

  it('refuses a target that is not empty, and leaves it as it was', async () => {
    const again = await runMcr(['copy', '--to', pg.url], { DATABASE_URL: sqlite.url });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^copy: the target database is not empty \(people \d+, accounts \d+/);
  });
});
