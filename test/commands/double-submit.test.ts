import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/** A form submitted twice (a Slack retry, a double click) answers the second time as the first: the record is written once. */
describe('a double-submitted add', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());
  const audits = () => t.db.selectFrom('audit_log').select('action').execute();

  it('account add: the second answer is the first one\'s success, not "already exists"; one row, one audit line', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com', admin: true, submissionKey: 'slack:view:V1' });
    const values = { name: 'Globex Energy', tier: 'general', industry: 'Energy' };
    const first = await alice.submit('account.add', values, {});
    const again = await alice.submit('account.add', values, {});
    expect(first.status).not.toBe('error');
    expect(replyText(first)).toContain('Globex Energy');
    expect(again.status).not.toBe('error');
    expect(again.replayed).toBe(true);
    expect(replyText(again)).toBe(replyText(first));
    expect(replyText(again)).not.toMatch(/already exists/);
    expect(await t.db.selectFrom('accounts').select('name').execute()).toEqual([{ name: 'Globex Energy' }]);
    expect(await audits()).toHaveLength(1);
    // Another submission (another key) of the same name is still refused.
    const bob = await actor(t.db, { as: 'bob@example.com', admin: true, submissionKey: 'slack:view:V2' });
    const other = await bob.submit('account.add', values, {});
    expect(other.status).toBe('error');
    expect(replyText(other)).toMatch(/already exists/);
    expect(await audits()).toHaveLength(1);
  });

  it('contact add: the same, in Chinese', async () => {
    const admin = await actor(t.db, { admin: true });
    await admin.run('account add Acme --tier general');
    const li = await actor(t.db, { as: 'li@example.com', admin: true, locale: 'zh-CN', submissionKey: 'teams:card:C1' });
    const acme = await t.db.selectFrom('accounts').select('id').executeTakeFirstOrThrow();
    const values = { account: `#${acme.id}`, name: '李娜', role: 'user' };
    const first = await li.submit('contact.add', values, {});
    const again = await li.submit('contact.add', values, {});
    expect(first.status, replyText(first)).not.toBe('error');
    expect(again).toMatchObject({ replayed: true });
    expect(replyText(again)).toBe(replyText(first));
    expect(await t.db.selectFrom('contacts').select('name').execute()).toEqual([{ name: '李娜' }]);
  });
});
