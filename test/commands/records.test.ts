import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

describe('account and contact (§1, §2)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('adds an account with its iron triangle by email, refuses a duplicate, edits one field', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    const added = await me.run('account add "Acme Telecom" --tier 战略客户 --contribution 5 --credit 4 --potential 3 --account-manager alice@example.com --sponsor david@example.com');
    expect(added.status).toBe('ok');
    expect(added.data).toMatchObject({ account: { name: 'Acme Telecom', tier: 'strategic', valueScore: 80, accountManager: 'alice', sponsor: 'david' } });
    expect((await me.run('account add "ACME telecom"')).data).toMatchObject({ error: 'account.exists' });
    await me.run('account edit acme --region EMEA');
    const row = await t.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ region: 'EMEA', contribution: 5, tier: 'strategic' });
    expect(await t.db.selectFrom('people').select('email').orderBy('email').execute()).toEqual([{ email: 'alice@example.com' }, { email: 'david@example.com' }]);
    expect((await t.db.selectFrom('audit_log').select('action').execute()).map((a) => a.action)).toEqual(['account.create', 'account.update']);
  });

  it('a bad value names its field and writes nothing', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    const reply = await me.run('account add Acme --contribution 9');
    expect(reply.data).toMatchObject({ error: 'input.invalid', fields: { contribution: 'Contribution (1–5): must be at most 5' } });
    expect(await t.db.selectFrom('accounts').select('id').execute()).toEqual([]);
  });

  it('contacts: add with labels in either language, show, edit; unique per account', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    await me.run('account add Acme --tier partner');
    const added = await me.run('contact add "Zhang Wei" --account Acme --position a --role 决策者 --owner-a alice@example.com --style analytical --need-level 4 --birthday 02-29 --rising-star');
    expect(added.status).toBe('ok');
    expect(added.data).toMatchObject({ contact: { name: 'Zhang Wei', position: 'A', role: 'decision_maker', key: true, style: 'analytical', needLevel: 4, birthday: '02-29', risingStar: true } });
    expect((await me.run('contact add "zhang  wei" --account Acme')).data).toMatchObject({ error: 'contact.exists' });
    await me.run('contact edit zhang --owner-b bob@example.com');
    const shown = await me.run('contact show Zhang');
    expect(replyText(shown)).toContain('alice, bob');
    expect((await me.run('contact add Li --account Acme --birthday 2-30')).data).toMatchObject({ fields: { birthday: 'Birthday: is not a birthday (use MM-DD or YYYY-MM-DD)' } });
  });

  it('the form path: without flags, add opens a form with the account prefilled', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    await me.run('account add Acme --tier partner');
    const reply = await me.run('contact add Li --account Acme');
    expect(reply.form).toMatchObject({ id: 'contact.add', values: { name: 'Li', role: 'none', account: expect.stringMatching(/^#\d+$/) } });
    const saved = await me.submit('contact.add', { ...reply.form!.values, role: 'influencer' });
    expect(saved.status).toBe('ok');
  });
});

describe('plans and reviews (§6)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
    const me = await actor(t.db, { as: 'alice@example.com', today: '2026-06-01' });
    await me.run('account add Acme --tier strategic');
    await me.run('contact add Tom --account Acme --role decision_maker');
    await me.run('rate Tom neutral');
  });
  afterEach(async () => t.cleanup());

  it('adds a plan, shows its status, and reviews it with the computed attitude', async () => {
    const me = await actor(t.db, { as: 'alice@example.com', today: '2026-06-01' });
    expect((await me.run('review Tom --progress x')).data).toMatchObject({ error: 'plan.none' });
    const added = await me.run('plan add Tom --goal coach --by 2026-12-01 --commitment "Lab visit" --cycle quarterly');
    expect(added.data).toMatchObject({ plan: { goal: 'coach', by: '2026-12-01', cycleDays: 90 } });
    const later = await actor(t.db, { as: 'alice@example.com', today: '2026-09-15' });
    const shown = await later.run('plan show Acme');
    expect(shown.data).toMatchObject({ plans: [{ goal: 'coach', level: 'neutral', lastReview: null, nextReview: '2026-08-30', reviewDue: true, atRisk: false }] });
    const reviewed = await later.run('review Tom --progress "Visited the lab" --gap "Pricing" --next "Meet the CEO"');
    expect(reviewed.data).toMatchObject({ review: { date: '2026-09-15', level: 'neutral' } });
    expect(await t.db.selectFrom('plan_reviews').select(['score', 'level', 'progress']).execute()).toEqual([{ score: 0, level: 'neutral', progress: 'Visited the lab' }]);
    expect((await later.run('plan show Tom')).data).toMatchObject({ plans: [{ lastReview: '2026-09-15', reviewDue: false }] });
  });
});

describe('done, tier-set, holiday, demo, help', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('done closes a next step by #id or words, once', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    await me.run('account add Acme --tier priority');
    await me.run('visit Acme --summary x --next "Send quote; ; 2026-12-01" --next "Send slides; ; 2026-12-02"');
    expect((await me.run('done send')).data).toMatchObject({ error: 'name.ambiguous', candidates: [{ label: 'Send quote' }, { label: 'Send slides' }] });
    expect((await me.run('done quote')).status).toBe('ok');
    const [, slides] = await t.db.selectFrom('next_steps').select(['id', 'done_on']).orderBy('id').execute();
    expect((await me.run(`done #${slides!.id}`)).status).toBe('ok');
    expect((await me.run(`done #${slides!.id}`)).data).toMatchObject({ error: 'next_step.done' });
    expect((await t.db.selectFrom('next_steps').select('done_on').execute()).map((s) => s.done_on)).toEqual(['2026-11-24', '2026-11-24']);
  });

  it('tier-set keeps history; the same tier is a review; the account manager may, others may not', async () => {
    const admin = await actor(t.db);
    await admin.run('account add Acme --tier priority --account-manager alice@example.com');
    const alice = await actor(t.db, { as: 'alice@example.com', today: '2026-12-01' });
    const bob = await actor(t.db, { as: 'bob@example.com' });
    expect((await bob.run('tier-set Acme strategic "bigger"')).data).toEqual({ error: 'access.account_roles', fields: 'Tier', name: 'Acme', manager: 'alice' });
    expect((await alice.run('tier-set Acme partner Signed the framework deal')).data).toMatchObject({ from: 'priority', tier: 'partner', reason: 'Signed the framework deal' });
    expect((await alice.run('tier-set Acme 伙伴客户 年度评审')).status).toBe('ok');
    expect(await t.db.selectFrom('tier_changes').select(['kind', 'from_tier', 'to_tier']).orderBy('id').execute()).toEqual([
      { kind: 'set', from_tier: null, to_tier: 'priority' },
      { kind: 'set', from_tier: 'priority', to_tier: 'partner' },
      { kind: 'review', from_tier: 'partner', to_tier: 'partner' },
    ]);
    expect(await t.db.selectFrom('accounts').select(['tier', 'tier_set_on', 'tier_reviewed_on']).executeTakeFirst()).toEqual({ tier: 'partner', tier_set_on: '2026-12-01', tier_reviewed_on: '2026-12-01' });
    expect((await admin.run('tier-set Acme')).data).toMatchObject({ error: 'usage.missing_value', argument: 'tier', valid: ['strategic', 'partner', 'priority', 'general'] });
  });

  it('holiday: lists the five defaults, admins add and remove, bad dates are named', async () => {
    const admin = await actor(t.db, { today: '2026-11-24' });
    expect((await admin.run('holiday list')).data).toMatchObject({ holidays: [
      { code: 'new_year', next: '2027-01-01' }, { code: 'spring_festival', next: '2027-02-06' }, { code: 'dragon_boat', next: '2027-06-09' },
      { code: 'mid_autumn', next: '2027-09-15' }, { code: 'national_day', next: '2027-10-01' },
    ] });
    expect((await admin.run('holiday add 元宵节 lunar:01-15')).data).toMatchObject({ holiday: { name: '元宵节', date: 'lunar:01-15' } });
    expect((await admin.run('holiday add Lantern lunar:01-31')).data).toMatchObject({ error: 'input.invalid' });
    expect((await admin.run('holiday add 元宵节 lunar:01-15')).data).toMatchObject({ error: 'holiday.exists' });
    expect((await admin.run('holiday remove "national day"')).status).toBe('ok');
    expect(await t.db.selectFrom('holidays').select('id').execute()).toHaveLength(5);
  });

  it('demo loads once; help lists every command', async () => {
    const admin = await actor(t.db);
    expect((await admin.run('demo')).data).toEqual({ accounts: 4, contacts: 11, activities: 18, ratings: 16 });
    expect((await admin.run('demo')).data).toMatchObject({ error: 'demo.loaded' });
    const { commands } = await import('../../commands/index.ts');
    expect(((await admin.run('help')).data as { commands: Array<{ name: string }> }).commands.map((c) => c.name)).toEqual(commands.map((c) => c.name));
  });
});

describe('names and errors', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
    const admin = await actor(t.db);
    for (const name of ['Acme Telecom', 'Acme Labs', '华信银行']) await admin.run(`account add "${name}" --tier general`);
  });
  afterEach(async () => t.cleanup());

  it('match case, spacing, a unique prefix, Chinese; ambiguous and unknown offer the closest', async () => {
    const me = await actor(t.db);
    for (const [query, name] of [['ACME  telecom', 'Acme Telecom'], ['acme l', 'Acme Labs'], ['华信', '华信银行']]) {
      expect((await me.run(`tier "${query}"`)).data, query).toMatchObject({ account: { name } });
    }
    const ambiguous = await me.run('tier acme');
    expect(ambiguous.data).toMatchObject({ error: 'name.ambiguous', candidates: [{ label: 'Acme Labs' }, { label: 'Acme Telecom' }] });
    expect(ambiguous.blocks.at(-1)).toEqual({ type: 'actions', actions: [{ label: 'Acme Labs', command: 'tier "Acme Labs"' }, { label: 'Acme Telecom', command: 'tier "Acme Telecom"' }] });
  });

  it('an unknown command answers with the closest command', async () => {
    const reply = await (await actor(t.db)).run('breif Acme Labs');
    expect(reply.data).toMatchObject({ error: 'command.unknown', value: 'breif', candidates: ['brief'] });
    expect(replyText(reply)).toContain('There is no command “breif”. Type help to see them all. Did you mean: brief?');
    // The button runs the command with the rest of the line as typed.
    expect(replyText(reply)).toContain('[brief](brief Acme Labs)');
  });

  it('an unexpected error is an apology with a reference id (the request id), logged, never a stack trace', async () => {
    const me = await actor(t.db);
    await t.db.destroy();
    const reply = await me.run('brief Acme Labs');
    const text = replyText(reply);
    expect(text).toMatch(/^Sorry, something went wrong on our side\. Nothing was saved\. \(ref [0-9a-f]{8}\)$/m);
    expect(text).not.toMatch(/at |Error/);
    const logged = me.log.lines.find((l) => l.msg === 'command failed');
    expect(logged?.requestId).toBe((reply.data as { ref: string }).ref);
    expect(me.ctx.requestId).toBe((reply.data as { ref: string }).ref);
    t = await tempDb(); // afterEach cleans a fresh one
  });
});
