import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/** account and contact share one record form (src/core/record-form.ts): the same way in, the same way out. */
describe('the record form of account and contact', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it.each([
    ['account', 'account add Northwind', 'account edit Acme'],
    ['contact', 'contact add Ann --account Acme', 'contact edit Tom'],
  ] as const)('%s: without field flags the form opens (add: empty context; edit: the record id, people by email)', async (kind, add, edit) => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    await me.run('account add Acme --tier partner --account-manager alice@example.com');
    await me.run('contact add Tom --account Acme --owner-a alice@example.com');
    const opened = await me.run(add);
    expect(opened.form).toMatchObject({ id: `${kind}.add`, context: {}, errors: {} });
    const editing = await me.run(edit);
    const id = (await t.db.selectFrom(kind === 'account' ? 'accounts' : 'contacts').select('id').where('name', '=', kind === 'account' ? 'Acme' : 'Tom').executeTakeFirstOrThrow()).id;
    expect(editing.form).toMatchObject({ id: `${kind}.edit`, context: { [kind]: String(id) } });
    expect(editing.form!.values[kind === 'account' ? 'account_manager' : 'owner_a']).toBe('alice@example.com');
    const people = editing.form!.fields.filter((f) => f.kind === 'lookup' && f.source === 'person').map((f) => f.id);
    expect(people).toEqual(kind === 'account' ? ['account_manager', 'solution_manager', 'delivery_manager', 'sponsor'] : ['owner_a', 'owner_b', 'owner_c']);
  });

  it('a submit with a bad value returns the form with the message on its field and the values kept; a good one writes once, titled', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    await me.run('account add Acme --tier partner');
    const bad = await me.submit('contact.add', { account: 'Acme', name: 'Ann', need_level: '9' });
    expect(bad.status).toBe('error');
    expect(bad.form).toMatchObject({ id: 'contact.add', values: { name: 'Ann', need_level: '9' } });
    expect(Object.keys(bad.form!.errors)).toEqual(['need_level']);
    const good = await me.submit('contact.add', { account: 'Acme', name: 'Ann', need_level: '4' });
    expect(good.title).toBe('Ann added to Acme');
    const renamed = await me.submit('account.edit', { name: 'Acme Corp', tier: 'partner' }, { account: String((await t.db.selectFrom('accounts').select('id').executeTakeFirstOrThrow()).id) });
    expect(renamed.title).toBe('Account Acme Corp updated');
    expect((await t.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((a) => a.action)).toEqual(['account.create', 'contact.create', 'account.update']);
  });
});
