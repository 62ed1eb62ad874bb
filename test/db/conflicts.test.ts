import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.ts';
import { insertHoliday } from '../../src/db/holiday.repository.ts';
import { uniqueViolation } from '../../src/db/sql.ts';
import { ConflictError } from '../../src/domain/errors.ts';
import { nameKey } from '../../src/domain/names.ts';
import { t } from '../../src/i18n/index.ts';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';
import { TEST_ENGINE } from '../helpers/engine.ts';
import { holdInsert, runMcr } from '../helpers/process.ts';

describe('a unique key refusing a write answers "already exists" (issue 16 part 5)', () => {
  let db: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    db = await tempDb();
  });
  afterEach(async () => db.cleanup());

  it('account add racing another connection\'s uncommitted insert of the same name: the domain error, not the apology', async () => {
    const admin = await actor(db.db);
    const holder = await holdInsert(db.url, 'Acme Telecom', 1500);
    // The other insert is not committed: the command's own check sees no Acme, so the
    // unique key is what refuses its insert once the other transaction commits.
    const reply = await admin.run('account add "ACME Telecom" --tier strategic');
    expect(await holder.done).toContain('committed');
    expect(reply.status).toBe('error');
    expect(reply.data).toMatchObject({ error: 'account.exists' });
    // Named as typed: the check before the write (which names the stored "Acme Telecom") did not see it.
    expect(replyText(reply).trim()).toBe(t('en', 'error.account.exists', { name: 'ACME Telecom' }));
    expect(replyText(reply)).not.toMatch(/ref|reference/i);
    expect(admin.log.lines.filter((l) => l.level === 'error' || l.level === 50)).toEqual([]);
    expect(await db.db.selectFrom('accounts').select(['name', 'tier']).execute()).toEqual([{ name: 'Acme Telecom', tier: 'general' }]);
    expect(await db.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.create').execute()).toEqual([]);
  });

  it('two account add of one name at once, on two connections: one is created, the other hears it exists', async () => {
    let answers: Array<{ ok: boolean; text: string }>;
    if (TEST_ENGINE === 'postgres') {
      const other = createDb(db.url);
      try {
        const [a, b] = [await actor(db.db), await actor(other)];
        const replies = await Promise.all([a.run('account add "Northwind" --tier partner'), b.run('account add "northwind" --tier partner')]);
        answers = replies.map((r) => ({ ok: r.status === 'ok', text: replyText(r) }));
      } finally {
        await other.destroy();
      }
    } else {
      // One SQLite connection serializes its transactions: two processes are two connections.
      const env = { DATABASE_URL: db.url };
      const runs = await Promise.all([runMcr(['account', 'add', 'Northwind', '--tier', 'partner'], env), runMcr(['account', 'add', 'northwind', '--tier', 'partner'], env)]);
      answers = runs.map((r) => ({ ok: r.code === 0, text: r.stdout + r.stderr }));
    }
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    const refused = answers.find((a) => !a.ok)!;
    expect(refused.text).toMatch(/An account named “(N|n)orthwind” already exists\./);
    expect(refused.text).not.toMatch(/reference|Something went wrong/i);
    expect(await db.db.selectFrom('accounts').select('name').execute()).toHaveLength(1);
  });

  it('the engine\'s unique-violation error is read on both engines; other errors are not', async () => {
    await insertHoliday(db.db, 'Founders day', '2026-05-01', new Date());
    const raw = await db.db.insertInto('holidays').values({ name: 'x', name_key: nameKey('Founders day'), date: '2026-05-02', code: null, created_at: '' }).execute().catch((e: unknown) => e);
    expect(uniqueViolation(raw)).toEqual({ columns: ['name_key'] });
    expect(uniqueViolation(new Error('UNIQUE constraint failed: accounts.name_key'))).toBeUndefined();
    await expect(insertHoliday(db.db, 'FOUNDERS  day', '2026-05-03', new Date())).rejects.toEqual(new ConflictError('holiday.exists', { name: 'FOUNDERS  day' }));
  });
});
