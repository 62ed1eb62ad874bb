import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { createServer as createRawServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb, migrateToLatest } from '../../src/db/create-db.ts';
import { databaseCheck } from '../../src/db/health.ts';
import { healthRoutes, type Phase } from '../../src/http/health.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { startBot, startupFailure, type RunningBot } from '../../src/main.ts';
import { memoryLogger, testConfig } from '../helpers/context.ts';
import { SIGNING_SECRET } from '../helpers/fake-slack.ts';

/** Can this machine make a file immutable (ext4 and friends, with CAP_LINUX_IMMUTABLE)? */
function canMakeImmutable(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'mcr-chattr-'));
  try {
    const file = join(dir, 'probe');
    execFileSync('touch', [file]);
    const on = spawnSync('chattr', ['+i', file]);
    spawnSync('chattr', ['-i', file]);
    return on.status === 0;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('/healthz and /readyz tell the truth about the database (issue 14 part 6)', () => {
  let bot: RunningBot | undefined;
  let dir: string;
  let immutable: string | undefined;
  afterEach(async () => {
    if (immutable) spawnSync('chattr', ['-i', immutable]);
    immutable = undefined;
    await bot?.stop();
    bot = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(file: string) {
    const config = loadConfig({ DATABASE_URL: `file:${file}`, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: 'http://127.0.0.1:9/api/' });
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    return `http://127.0.0.1:${bot.port}`;
  }

  it('a database file deleted under the running bot: /healthz and /readyz 503 "missing"', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcr-health-'));
    const file = join(dir, 'mcr.sqlite');
    const url = await start(file);
    expect(await get(`${url}/healthz`)).toEqual({ status: 200, body: { status: 'ok', database: 'ok' } });
    expect(await get(`${url}/readyz`)).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', migrations: 'current', channels: 'ok', lifecycle: 'running' } } });
    // The open handle would go on writing into the unlinked inode: nothing anyone could back up or read.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    expect(await get(`${url}/healthz`)).toEqual({ status: 503, body: { status: 'unhealthy', database: 'missing' } });
    const ready = await get(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'not_ready', checks: { database: 'missing' } });
  });

  it('a database file replaced by another: 503 "replaced"', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcr-health-'));
    const file = join(dir, 'mcr.sqlite');
    const url = await start(file);
    copyFileSync(file, `${file}.copy`);
    renameSync(`${file}.copy`, file);
    expect(await get(`${url}/healthz`)).toEqual({ status: 503, body: { status: 'unhealthy', database: 'replaced' } });
  });

  // Tests run as root, and root writes through chmod 444. An immutable file (chattr +i) is refused
  // even to root: SQLite then opens it read-only, as it would a file the bot's user may not write.
  it.skipIf(!canMakeImmutable())('a database file the process cannot write: /healthz 503 "read_only"', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcr-health-'));
    const file = join(dir, 'mcr.sqlite');
    const db = createDb(`file:${file}`);
    await migrateToLatest(db);
    await db.destroy();
    execFileSync('chattr', ['+i', file]);
    immutable = file;
    const url = await start(file);
    expect(await get(`${url}/healthz`)).toEqual({ status: 503, body: { status: 'unhealthy', database: 'read_only' } });
    const ready = await get(`${url}/readyz`);
    expect(ready).toEqual({ status: 503, body: { status: 'not_ready', checks: { database: 'read_only', migrations: 'current', channels: 'ok', lifecycle: 'running' } } });
  });

  it('/readyz is 503 while starting and while draining, and names migrations this code does not know', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcr-health-'));
    const db = createDb(`file:${join(dir, 'mcr.sqlite')}`);
    await migrateToLatest(db);
    let phase: Phase = 'starting';
    const server = createHttpServer(healthRoutes(databaseCheck(db, `file:${join(dir, 'mcr.sqlite')}`), { channels: 1, phase: () => phase, log: memoryLogger() }), memoryLogger());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      expect(await get(`${url}/readyz`)).toMatchObject({ status: 503, body: { checks: { lifecycle: 'starting' } } });
      phase = 'running';
      expect((await get(`${url}/readyz`)).status).toBe(200);
      await db.insertInto('kysely_migration' as never).values({ name: '29991231000000_from_the_future', timestamp: new Date().toISOString() } as never).execute();
      expect(await get(`${url}/readyz`)).toMatchObject({ status: 503, body: { checks: { migrations: 'unknown' } } });
      expect((await get(`${url}/healthz`)).status).toBe(200);
      phase = 'draining';
      expect(await get(`${url}/readyz`)).toMatchObject({ status: 503, body: { checks: { lifecycle: 'draining' } } });
    } finally {
      server.close();
      await db.destroy();
    }
  });
});

describe('start-up failures are one line naming the setting and the fix (issue 14 part 7)', () => {
  it('a DATABASE_URL inside a folder that cannot be created', async () => {
    const blocker = mkdtempSync(join(tmpdir(), 'mcr-start-'));
    try {
      // A file where the folder should be: mkdir fails even for root.
      execFileSync('touch', [join(blocker, 'not-a-folder')]);
      const config = { ...testConfig({ databaseUrl: `file:${join(blocker, 'not-a-folder', 'db', 'mcr.sqlite')}`, slack: { botToken: 'xoxb-test', signingSecret: 'x', answerThreads: 1 } }), port: 0 };
      const error = await startBot(config, memoryLogger(), { scheduler: false }).then(() => undefined, (e: unknown) => e);
      const line = startupFailure(error, config);
      expect(line).toMatch(/^DATABASE_URL: cannot create the folder of .*not-a-folder\/db\/mcr\.sqlite \(ENOTDIR\); point DATABASE_URL at a writable place/);
      expect(line).not.toContain('\n');
    } finally {
      rmSync(blocker, { recursive: true, force: true });
    }
  });

  it('a bad PostgreSQL URL, a refused login, a failed migration, a port in use', async () => {
    const config = testConfig();
    const bad = await startBot({ ...config, databaseUrl: 'postgres://u:secret@host:notaport/db', port: 0 }, memoryLogger()).then(() => undefined, (e: unknown) => e);
    expect(startupFailure(bad, { ...config, databaseUrl: 'postgres://u:secret@host:notaport/db' })).toBe('DATABASE_URL: not a valid PostgreSQL URL; write it as postgres://USER:PASSWORD@HOST:5432/DATABASE (percent-encode special characters in the password)');
    const login = Object.assign(new Error('password authentication failed for user "u"'), { code: '28P01' });
    expect(startupFailure(login, { ...config, databaseUrl: 'postgres://u:secret@db/x' })).toBe('DATABASE_URL: the PostgreSQL server refused the login (password authentication failed for user "u"); correct the user and password in DATABASE_URL');

    const dir = mkdtempSync(join(tmpdir(), 'mcr-start-'));
    const holder = createRawServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, () => resolve((holder.address() as { port: number }).port)));
    try {
      // A migration that fails: the initial migration's table already exists, made by someone else.
      const file = join(dir, 'mcr.sqlite');
      const db = createDb(`file:${file}`);
      await db.schema.createTable('accounts').addColumn('x', 'text').execute();
      await db.destroy();
      const withFile = { ...config, databaseUrl: `file:${file}`, slack: { botToken: 'xoxb-test', signingSecret: 'x', answerThreads: 1 }, port: 0 };
      const failed = await startBot(withFile, memoryLogger(), { scheduler: false }).then(() => undefined, (e: unknown) => e);
      expect(startupFailure(failed, withFile)).toMatch(/^DATABASE_URL: migration 20261124090000_initial failed: table "?accounts"? already exists; nothing of that migration was applied/);

      unlinkSync(file);
      const inUse = { ...withFile, port };
      const taken = await startBot(inUse, memoryLogger(), { scheduler: false }).then(() => undefined, (e: unknown) => e);
      expect(startupFailure(taken, inUse)).toBe(`PORT: ${port} is already in use by another process; stop it or set PORT to a free port`);
    } finally {
      holder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
