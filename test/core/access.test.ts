import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

describe('access lists (MCR_ALLOWED_USERS, MCR_ADMINS)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  const config = { allowedUsers: ['alice@example.com', 'U0BOB'], admins: ['carol@example.com'] };
  beforeEach(async () => {
    t = await tempDb();
    await (await actor(t.db)).run('account add Acme --tier partner');
  });
  afterEach(async () => t.cleanup());

  it('refuses someone not on the list politely, before anything is read or written', async () => {
    const mallory = await actor(t.db, { as: 'mallory@example.com', config });
    expect(mallory.ctx.isAllowed).toBe(false);
    const before = await t.db.selectFrom('audit_log').select('id').execute();
    for (const line of ['brief Acme', 'account add Evil', 'visit Acme --summary x']) {
      const reply = await mallory.run(line);
      expect(reply.status).toBe('error');
      expect(reply.data).toEqual({ error: 'access.not_allowed' });
      expect(replyText(reply)).toContain('has not given you access');
    }
    expect((await mallory.submit('visit', { account: 'Acme' })).data).toEqual({ error: 'access.not_allowed' });
    expect(await t.db.selectFrom('audit_log').select('id').execute()).toEqual(before);
    expect(await t.db.selectFrom('accounts').select('name').execute()).toEqual([{ name: 'Acme' }]);
  });

  it('lets listed people in by email or platform id, and admins always', async () => {
    const alice = await actor(t.db, { as: 'ALICE@example.com', config });
    expect(alice.ctx).toMatchObject({ isAllowed: true, isAdmin: false });
    expect((await alice.run('brief Acme')).status).toBe('ok');
    await t.db.insertInto('people').values({ name: 'Bob', slack_id: 'U0BOB', created_at: '2026-11-24T00:00:00Z' }).execute();
    const carol = await actor(t.db, { as: 'carol@example.com', config });
    expect(carol.ctx).toMatchObject({ isAllowed: true, isAdmin: true });
  });

  it('an empty list lets everyone in', async () => {
    const anyone = await actor(t.db, { as: 'anyone@example.com' });
    expect(anyone.ctx.isAllowed).toBe(true);
  });

  it('admin-only commands refuse others with a clear message', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com', config });
    for (const line of ['holiday add Diwali 11-08', 'holiday remove "New Year"', 'demo']) {
      const reply = await alice.run(line);
      expect(reply.data, line).toEqual({ error: 'access.admin_only' });
      expect(replyText(reply)).toContain('Only an admin can do that.');
    }
    // A tier is for admins and the account's manager; Acme has none, so the refusal says only an admin may.
    const tierSet = await alice.run('tier-set Acme strategic "bigger deal"');
    expect(tierSet.data).toEqual({ error: 'access.account_roles_unmanaged', fields: 'Tier', name: 'Acme' });
    expect(replyText(tierSet)).toContain('only an admin may');
    expect(await t.db.selectFrom('tier_changes').select('kind').execute()).toHaveLength(1);
    expect(await t.db.selectFrom('holidays').select('id').execute()).toHaveLength(5);
  });
});
