import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

describe('audit (who changed what)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('lists every write with its actor, filtered by --since, for admins', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com', today: '2026-11-20' });
    await alice.run('account add Acme --tier priority');
    await alice.run('contact add Tom --account Acme --role user');
    const admin = await actor(t.db);
    const all = await admin.run('audit');
    expect((all.data as { entries: Array<{ actor: string; action: string }> }).entries.map((e) => [e.actor, e.action])).toEqual([
      ['alice', 'account.create'],
      ['alice', 'contact.create'],
    ]);
    expect(replyText(all)).toContain('account.create');
    const later = await admin.run('audit --since 2099-01-01');
    expect((later.data as { entries: unknown[] }).entries).toEqual([]);
    expect((await admin.run('audit --since soon')).status).toBe('error');
    expect((await alice.run('audit')).data).toEqual({ error: 'access.admin_only' });
  });
});
