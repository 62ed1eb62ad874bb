import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/** Issue 18 part 2: planned visits (`visit plan`, `visit plans`, move, cancel, log). The actor's day is 2026-11-24. */
describe('planned visits', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
    const admin = await actor(t.db);
    await admin.run('account add "Acme Telecom" --tier strategic');
    await admin.run('account add "Globex" --tier partner');
    await admin.run('contact add "Tom Baker" --account Acme --position A --role decision_maker');
    await admin.run('contact add "Priya Nair" --account Acme --position B --role evaluator');
    await admin.run('contact add "Gina Gray" --account Globex --position B --role user');
  });
  afterEach(async () => t.cleanup());

  it('records a plan with its contacts in order, owned by who planned it, and lists it in visit plans', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com' });
    const reply = await alice.run('visit plan Acme Telecom 2026-11-26 10:30 --with "Priya; Tom Baker" --purpose "Pricing review"');
    expect(reply.status).toBe('ok');
    expect(reply.title).toBe('Visit to Acme Telecom planned for 2026-11-26 10:30');
    const row = await t.db.selectFrom('planned_visits').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ date: '2026-11-26', time: '10:30', status: 'planned', purpose: 'Pricing review', owner_id: alice.ctx.actor.id, activity_id: null });
    const names = await t.db
      .selectFrom('planned_visit_contacts')
      .innerJoin('contacts', 'contacts.id', 'planned_visit_contacts.contact_id')
      .select('contacts.name')
      .orderBy('planned_visit_contacts.position')
      .execute();
    expect(names.map((n) => n.name)).toEqual(['Priya Nair', 'Tom Baker']);
    expect(await t.db.selectFrom('audit_log').select('action').where('action', '=', 'planned_visit.create').execute()).toHaveLength(1);

    const list = await alice.run('visit plans');
    expect(replyText(list)).toContain(`2026-11-26 10:30 · Acme Telecom · Priya Nair, Tom Baker · Pricing review (#${row.id})`);
    expect(replyText(list)).toContain(`(visit log #${row.id})`);
    expect(list.data).toMatchObject({ plannedVisits: [{ id: row.id, date: '2026-11-26', time: '10:30' }] });
    // Someone else's plans are not "mine".
    expect(replyText(await (await actor(t.db, { as: 'bob@example.com' })).run('visit plans'))).toContain('You have no planned visits');
  });

  it('refuses a past day, a bad time and a contact of another account, naming the field, and writes nothing', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com' });
    const past = await alice.run('visit plan Acme 2026-11-23');
    expect(past.status).toBe('error');
    expect(replyText(past)).toContain('Date: cannot be in the past');
    expect(replyText(await alice.run('visit plan Acme 2026-11-25 25:00'))).toContain('Time: is not a time');
    const other = await alice.run('visit plan Acme 2026-11-25 --with Gina');
    expect(other.status).toBe('error');
    expect(other.form?.errors).toHaveProperty('contacts');
    const zh = await actor(t.db, { as: 'alice@example.com', locale: 'zh-CN' });
    expect(replyText(await zh.run('visit plan Acme 2026-11-20'))).toContain('不能是过去的日期');
    expect(await t.db.selectFrom('planned_visits').selectAll().execute()).toEqual([]);
  });

  it('opens the plan form in chat when the day is missing, and saves it from the form', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com' });
    const reply = await alice.run('visit plan Acme');
    expect(reply.form?.id).toBe('visit.plan');
    expect(reply.form?.values).toMatchObject({ date: '2026-11-24' });
    const saved = await alice.submit('visit.plan', { ...reply.form!.values, date: '2026-11-25', contacts: ['Tom Baker'] });
    expect(saved.status).toBe('ok');
    expect(await t.db.selectFrom('planned_visits').select('date').execute()).toEqual([{ date: '2026-11-25' }]);
  });

  it('is not a touch: last touch, activities and the brief do not count it', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com' });
    await alice.run('visit plan Acme 2026-11-24 15:00 --with Tom');
    expect(await t.db.selectFrom('activities').selectAll().execute()).toEqual([]);
    const brief = await alice.run('brief Acme');
    const tom = (brief.data as { contacts: Array<{ name: string; lastTouch: string | null }> }).contacts.find((c) => c.name === 'Tom Baker');
    expect(tom?.lastTouch).toBeNull();
  });

  it('moves and cancels (author or admin only), audited; a cancelled plan cannot be moved', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com' });
    await alice.run('visit plan Acme 2026-11-26 10:00 --with Tom');
    const id = (await t.db.selectFrom('planned_visits').select('id').executeTakeFirstOrThrow()).id;
    const bob = await actor(t.db, { as: 'bob@example.com' });
    expect(replyText(await bob.run(`visit move #${id} 2026-11-27`))).toContain('Only alice');
    const moved = await alice.run(`visit move #${id} 2026-11-27 16:00`);
    expect(moved.title).toBe('Visit to Acme Telecom moved to 2026-11-27 16:00');
    expect(await t.db.selectFrom('planned_visits').select(['date', 'time']).execute()).toEqual([{ date: '2026-11-27', time: '16:00' }]);
    // In chat, Move without a day opens a form with the plan's day.
    expect((await alice.run(`visit move #${id}`)).form).toMatchObject({ id: 'visit.move', values: { date: '2026-11-27', time: '16:00' }, context: { plan: String(id) } });
    // Cancel asks first.
    const ask = await alice.run(`visit cancel #${id}`);
    expect(replyText(ask)).toContain(`(visit cancel #${id} --yes)`);
    expect((await t.db.selectFrom('planned_visits').select('status').executeTakeFirstOrThrow()).status).toBe('planned');
    const admin = await actor(t.db);
    expect((await admin.run(`visit cancel #${id} --yes`)).status).toBe('ok');
    expect((await t.db.selectFrom('planned_visits').select('status').executeTakeFirstOrThrow()).status).toBe('cancelled');
    expect(replyText(await alice.run(`visit move #${id} 2026-11-28`))).toContain(`Planned visit #${id} was cancelled`);
    const actions = (await t.db.selectFrom('audit_log').select('action').where('entity', '=', 'planned_visit').orderBy('id').execute()).map((r) => r.action);
    expect(actions).toEqual(['planned_visit.create', 'planned_visit.move', 'planned_visit.cancel']);
    expect(replyText(await admin.run('audit'))).toContain('cancelled the planned visit to Acme Telecom on 2026-11-27');
  });

  it('visit log opens the visit form prefilled; saving logs one visit and marks the plan logged, once', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com' });
    await alice.run('visit plan Acme 2026-11-24 09:00 --with "Priya; Tom" --purpose "Pricing review"');
    const plan = await t.db.selectFrom('planned_visits').selectAll().executeTakeFirstOrThrow();
    const [priya, tom] = await Promise.all(['Priya Nair', 'Tom Baker'].map((n) => t.db.selectFrom('contacts').select('id').where('name', '=', n).executeTakeFirstOrThrow()));
    const form = (await alice.run(`visit log #${plan.id}`)).form!;
    expect(form.id).toBe('visit');
    expect(form.context).toEqual({ plan: String(plan.id) });
    expect(form.values).toEqual({
      account: `#${plan.account_id}`, date: '2026-11-24', type: 'visit', contacts: [`#${priya!.id}`, `#${tom!.id}`], attendees: [`#${alice.ctx.actor.id}`],
      purpose: 'Pricing review', summary: 'Pricing review: ',
    });
    const values = { ...form.values, summary: 'Pricing review: agreed the discount' };
    // A Slack view or Teams card submission carries a key: a retry replays the first reply.
    const keyed = await actor(t.db, { as: 'alice@example.com', submissionKey: 'view-1' });
    const a = await keyed.submit('visit', values, form.context);
    expect(a.status).toBe('ok');
    expect(a.replayed).toBeUndefined();
    expect((await keyed.submit('visit', values, form.context)).replayed).toBe(true);
    // A second submit without a key (the console, another form) finds the plan logged: nothing written.
    const again = await alice.submit('visit', values, form.context);
    expect(replyText(again)).toContain('already logged');
    const activities = await t.db.selectFrom('activities').select(['id', 'summary']).execute();
    expect(activities).toHaveLength(1);
    expect(await t.db.selectFrom('planned_visits').select(['status', 'activity_id']).executeTakeFirstOrThrow()).toEqual({ status: 'logged', activity_id: activities[0]!.id });
    expect(replyText(await alice.run(`visit log #${plan.id}`))).toContain('already logged');
    expect(replyText(await alice.run('visit plans'))).toContain('You have no planned visits');
  });

  it('visit brief puts the planned contacts first with their suggestions', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com' });
    await alice.run('visit plan Acme 2026-11-24 15:00 --with Priya');
    const plan = await t.db.selectFrom('planned_visits').select('id').executeTakeFirstOrThrow();
    const reply = await alice.run(`visit brief #${plan.id}`);
    expect(reply.status).toBe('ok');
    const data = reply.data as { contacts: Array<{ name: string }>; suggestions: Array<{ contact: { name: string } }>; meeting: { id: number } };
    // Tom is the decision maker (normally first); the meeting is with Priya.
    expect(data.contacts.map((c) => c.name)).toEqual(['Priya Nair', 'Tom Baker']);
    expect(data.suggestions[0]!.contact.name).toBe('Priya Nair');
    expect(data.meeting.id).toBe(plan.id);
    expect(replyText(reply)).toContain('Your meeting today: 2026-11-24 15:00 · Acme Telecom · Priya Nair');
    expect(replyText(reply)).toContain(`(visit log #${plan.id})`);
  });
  it('shows in home (upcoming meetings) and in the digest as this week\'s meetings, in both languages', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com' });
    await alice.run('visit plan Acme 2026-11-26 10:30 --with Tom --purpose "Pricing review"');
    await alice.run('visit plan Globex 2026-12-05 --with Gina');
    const home = await alice.run('home');
    expect(replyText(home)).toContain('Upcoming meetings');
    expect(replyText(home)).toContain('2026-11-26 10:30 · Acme Telecom · Tom Baker · Pricing review');
    expect((home.data as { meetings: unknown[] }).meetings).toHaveLength(2);
    expect(replyText(await (await actor(t.db, { as: 'alice@example.com', locale: 'zh-CN' })).run('home'))).toContain('即将进行的会面');
    // Bob plans nothing: no section.
    expect(replyText(await (await actor(t.db, { as: 'bob@example.com' })).run('home'))).not.toContain('Upcoming meetings');

    const admin = await actor(t.db);
    const digest = await admin.run('digest preview --json');
    // The coming week from today (2026-11-24): Acme's on the 26th, not Globex's on 5 December.
    expect((digest.data as { sections: { meetings: Array<{ date: string; account: { name: string }; owner: { name: string } }> } }).sections.meetings).toEqual([
      expect.objectContaining({ date: '2026-11-26', time: '10:30', account: expect.objectContaining({ name: 'Acme Telecom' }), owner: expect.objectContaining({ name: 'alice' }), purpose: 'Pricing review' }),
    ]);
    expect(replyText(digest)).toContain("This week's meetings");
    expect(replyText(digest)).toContain('2026-11-26 10:30 · Acme Telecom · Tom Baker');
    expect(replyText(await (await actor(t.db, { locale: 'zh-CN' })).run('digest preview'))).toContain('本周会面');
    // Cancelled: gone from both.
    const id = (await t.db.selectFrom('planned_visits').select('id').where('date', '=', '2026-11-26').executeTakeFirstOrThrow()).id;
    await alice.run(`visit cancel #${id} --yes`);
    expect(replyText(await admin.run('digest preview'))).not.toContain("This week's meetings");
  });
});
