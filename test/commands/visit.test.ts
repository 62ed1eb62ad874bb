import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

describe('visit (§5)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
    const admin = await actor(t.db);
    await admin.run('account add "Acme Telecom" --tier strategic');
    await admin.run('contact add "Tom Baker" --account Acme --position A --role influencer');
    await admin.run('contact add "Priya Nair" --account Acme --position B --role evaluator');
  });
  afterEach(async () => t.cleanup());

  it('opens the form with the account, today, the actor as attendee', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    const reply = await me.run('/visit acme');
    expect(reply.form?.id).toBe('visit');
    expect(reply.form?.values).toMatchObject({ date: '2026-11-24', type: 'visit', attendees: [`#${me.ctx.actor.id}`] });
    expect(reply.form?.values.account).toMatch(/^#\d+$/);
  });

  it('records a visit with contacts, attendees and two next steps in one write', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    const form = (await me.run('visit Acme')).form!;
    const reply = await me.submit('visit', {
      ...form.values,
      contacts: ['Tom Baker', 'priya'],
      summary: 'Migration plan agreed',
      next_steps: [
        { text: 'Send quote', owner: 'bob@example.com', due: '2026-12-01' },
        { text: 'Book lab visit', owner: '', due: '' },
      ],
    });
    expect(reply.status).toBe('ok');
    expect(replyText(reply)).toContain('Send quote — bob — 2026-12-01');
    const activity = await t.db.selectFrom('activities').selectAll().executeTakeFirstOrThrow();
    expect(activity).toMatchObject({ date: '2026-11-24', type: 'visit', summary: 'Migration plan agreed' });
    expect(await t.db.selectFrom('activity_contacts').select('contact_id').execute()).toHaveLength(2);
    const steps = await t.db.selectFrom('next_steps').select(['text', 'due_on']).orderBy('id').execute();
    expect(steps).toEqual([{ text: 'Send quote', due_on: '2026-12-01' }, { text: 'Book lab visit', due_on: null }]);
    expect(await t.db.selectFrom('audit_log').select('action').where('action', '=', 'activity.create').execute()).toHaveLength(1);
  });

  it('names the bad field and writes nothing', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    const reply = await me.submit('visit', { account: 'Acme', date: '2026-11-24', type: 'visit', contacts: ['Nobody Here'], next_steps: [{ text: 'x', due: '2026-13-01' }] });
    expect(reply.status).toBe('error');
    expect(reply.form?.errors).toHaveProperty(['next_steps.0.due']);
    expect(replyText(reply)).toContain('Next step 1 · Due: is not a date');
    expect(await t.db.selectFrom('activities').selectAll().execute()).toHaveLength(0);
  });

  it('writes once when the same submission arrives twice', async () => {
    const first = await actor(t.db, { as: 'alice@example.com', submissionKey: 'view-1' });
    const values = { account: 'Acme', date: '2026-11-24', type: 'visit', contacts: ['Tom Baker'] };
    const a = await first.submit('visit', values);
    const b = await first.submit('visit', values);
    expect(b).toEqual({ ...a, replayed: true });
    expect(await t.db.selectFrom('activities').selectAll().execute()).toHaveLength(1);
  });
});
