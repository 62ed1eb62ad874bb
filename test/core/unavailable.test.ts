import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { contextFor } from '../../src/core/context.ts';
import { runLine } from '../../src/core/dispatch.ts';
import { createDb } from '../../src/db/create-db.ts';
import { untilReachable } from '../../src/main.ts';
import { commandIndex, actor, memoryLogger, testConfig } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';
import { TEST_ENGINE } from '../helpers/engine.ts';

const someone = { id: 1, name: 'Alice', email: 'alice@example.com', slackId: null, teamsId: null, locale: null };

describe('an unreachable database (issue 8)', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('gives users a short "temporarily unavailable, nothing was saved" answer, never a stack trace', async () => {
    // A PostgreSQL server that is not there (nothing listens on port 1).
    const db = createDb('postgres://nobody@127.0.0.1:1/none');
    cleanup = () => db.destroy();
    const log = memoryLogger();
    const ctx = contextFor({ db, config: testConfig(), log, commands: commandIndex }, someone, { isAdmin: true });
    const reply = await runLine(ctx, 'account add Acme --tier strategic');
    expect(reply.status).toBe('error');
    expect(reply.data).toEqual({ error: 'db.unavailable' });
    expect(reply.blocks).toEqual([{ type: 'text', text: 'The database is temporarily unavailable, so nothing was saved. Please try again in a minute.', tone: 'warning' }]);
    expect(log.lines.some((l) => l.level === 'error')).toBe(false);
  });

  it('at start-up is retried with backoff, saying why in the log; other errors stop start-up', async () => {
    const log = memoryLogger();
    const waits: number[] = [];
    let calls = 0;
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const result = await untilReachable(
      async () => {
        if (++calls < 4) throw refused;
        return 'migrated';
      },
      log,
      async (ms) => void waits.push(ms),
    );
    expect(result).toBe('migrated');
    expect(waits).toEqual([1_000, 2_000, 5_000]);
    expect(log.lines.filter((l) => /database unreachable at start-up/.test(String(l.msg ?? l.message)))).toHaveLength(3);
    await expect(untilReachable(async () => Promise.reject(new Error('migration 2 failed: syntax error')), log, async () => undefined)).rejects.toThrow(/syntax error/);
  });

  it.skipIf(TEST_ENGINE !== 'postgres')('recovers by itself when the server drops every connection', async () => {
    const t = await tempDb();
    cleanup = t.cleanup;
    const { ctx } = await actor(t.db);
    expect((await runLine(ctx, 'account add Acme --tier strategic')).status).toBe('ok');
    // The server ends every session of this database (a restart or failover looks the same to the pool).
    const database = new URL(t.url).pathname.slice(1);
    const admin = createDb(t.url.replace(/\/[^/]+$/, '/test'));
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`.execute(admin);
    await admin.destroy();
    // Each broken pooled connection fails one request ("temporarily unavailable") and is replaced.
    const replies = [];
    for (let i = 0; i < 12 && replies.at(-1)?.status !== 'ok'; i++) replies.push(await runLine(ctx, 'tier Acme'));
    for (const reply of replies.slice(0, -1)) expect(reply.data).toEqual({ error: 'db.unavailable' });
    expect(replies.at(-1)!.status).toBe('ok');
  });
});
