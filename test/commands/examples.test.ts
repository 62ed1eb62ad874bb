import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { contextFor } from '../../src/core/context.ts';
import { runLine } from '../../src/core/dispatch.ts';
import type { Reply } from '../../src/core/reply.ts';
import { createDb, migrateToLatest, type Db } from '../../src/db/create-db.ts';
import { ensureLocalPerson } from '../../src/db/person.repository.ts';
import { actor, commandIndex, memoryLogger, replyText, testConfig } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';
import { PG_ADMIN_URL, testDatabase } from '../helpers/engine.ts';

/**
 * Every example in every command's `help` works on the demo as written (issue 15 part 6):
 * each on its own copy of a freshly loaded demo (`demo` itself, an example too, on an empty
 * database), typed by the console's operator. A form that an example with flags opens is
 * submitted as the CLI submits it; one without flags opening its form is the example working.
 * `digest subscribe` is typed in the channel that should get the digest, so the digest's
 * examples run as from a Slack channel.
 */
describe('help examples on the demo', () => {
  const examples = commands.flatMap((c) => c.examples.map((line) => [c.name, line] as const));
  // The demo is loaded once; each example gets a copy (a file copy, or a PostgreSQL template), which is much cheaper than migrating and loading again.
  let empty: Awaited<ReturnType<typeof tempDb>>;
  let loaded: Awaited<ReturnType<typeof testDatabase>>;
  const outDir = mkdtempSync(join(tmpdir(), 'mcr-examples-'));
  beforeAll(async () => {
    [empty, loaded] = [await tempDb(), await testDatabase()];
    const db = createDb(loaded.url);
    try {
      await migrateToLatest(db);
      expect((await (await actor(db, { today: TODAY })).run('demo')).status).toBe('ok');
    } finally {
      await db.destroy();
    }
  });
  afterAll(async () => {
    await empty.cleanup();
    await loaded.cleanup();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('every command has examples', () => {
    for (const c of commands) expect(c.examples.length, c.name).toBeGreaterThan(0);
  });

  it.each(examples)('%s: %s', async (name, line) => {
    // `demo` is itself an example: it runs on an empty database, the others on a copy of the loaded one.
    const copy = name === 'demo' ? { db: empty.db, drop: async () => undefined } : await copyOf(loaded.url);
    try {
      const operator = await actor(copy.db, { today: TODAY });
      // An undo token is what a write prints: the example's stands for the one a visit logged just before it gives.
      const withUndoToken = name === 'undo' ? line.replace(/^undo \S+/, `undo ${await undoToken(operator)}`) : line;
      // A file an example writes (`--out acme.png`) goes to the test's folder, not the working tree.
      const typed = withUndoToken.replace(/--out (\S+)/, (_, file: string) => `--out ${join(outDir, file)}`);
      let reply: Reply = name === 'digest' ? await runInChannel(copy.db, typed) : await operator.run(typed);
      if (reply.form && /\s--/.test(line)) reply = await operator.submit(reply.form.id, reply.form.values, reply.form.context);
      const failed = { status: reply.status ?? 'ok', formErrors: reply.form ? Object.values(reply.form.errors) : [] };
      expect(failed, replyText(reply)).toEqual({ status: 'ok', formErrors: [] });
    } finally {
      await copy.drop();
    }
  });
});

const TODAY = '2026-11-24';

async function undoToken(operator: Awaited<ReturnType<typeof actor>>): Promise<string> {
  const logged = await operator.run('visit Acme --with "Tom Baker" --summary "Undo example"');
  const token = (logged.data as { undo?: string } | undefined)?.undo;
  expect(token, replyText(logged)).toMatch(/^[0-9a-f]{10}$/);
  return token!;
}

/** A new database holding what `url` holds (its pool must be closed). */
async function copyOf(url: string): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (url.startsWith('file:')) {
    const dir = mkdtempSync(join(tmpdir(), 'mcr-example-'));
    copyFileSync(url.slice('file:'.length), join(dir, 'mcr.sqlite'));
    const db = createDb(`file:${join(dir, 'mcr.sqlite')}`);
    return { db, drop: async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const source = new URL(url).pathname.slice(1);
  const name = `mcr_example_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${name} template ${source}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = createDb(target.toString());
  return { db, drop: async () => { await db.destroy(); await admin(`drop database if exists ${name} with (force)`); } };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The operator typing in a Slack channel, where a digest subscription lands. */
async function runInChannel(db: Db, line: string): Promise<Reply> {
  const now = new Date(`${TODAY}T10:00:00Z`);
  const person = await ensureLocalPerson(db, 'tester', now);
  const ctx = contextFor({ db, config: testConfig(), log: memoryLogger(), commands: commandIndex }, person, { now, isAdmin: true, channel: { platform: 'slack', id: 'C0DEMO' } });
  return runLine(ctx, line);
}
