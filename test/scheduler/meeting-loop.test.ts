import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Poster } from '../../src/core/outbox.ts';
import type { Reply } from '../../src/core/reply.ts';
import type { Person } from '../../src/domain/types.ts';
import { sendMeetingLoop } from '../../src/scheduler/jobs/send-meeting-loop.ts';
import { startScheduler } from '../../src/scheduler/scheduler.ts';
import { actor, commandIndex, memoryLogger, replyText, testConfig } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/**
 * Issue 18 part 2, the meeting loop with a controlled clock (MCR_TIMEZONE UTC, reminder
 * time 09:00): the morning brief, the prompt two hours after, exactly once.
 */
describe('the meeting loop', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let sent: Array<{ to: string; reply: Reply }>;
  const poster: Poster = { toChannel: async () => 0, toPerson: async (p: Person, reply: Reply) => (sent.push({ to: p.email ?? p.name, reply }), true) };
  const deps = (instance = 'a') => ({ db: t.db, config: testConfig(), log: memoryLogger(), commands: commandIndex, outbox: { slack: poster }, instance });
  const at = (iso: string) => new Date(iso);
  let planId: number;

  beforeEach(async () => {
    t = await tempDb();
    sent = [];
    const admin = await actor(t.db, { today: '2026-11-20' });
    await admin.run('account add "Acme Telecom" --tier strategic');
    await admin.run('contact add "Tom Baker" --account Acme --position A --role decision_maker');
    await admin.run('contact add "Priya Nair" --account Acme --position B --role evaluator');
    const alice = await actor(t.db, { as: 'alice@example.com', today: '2026-11-20' });
    expect((await alice.run('visit plan Acme 2026-11-24 14:00 --with Priya --purpose "Pricing review"')).status).toBe('ok');
    planId = (await t.db.selectFrom('planned_visits').select('id').executeTakeFirstOrThrow()).id;
  });
  afterEach(async () => t.cleanup());

  it('sends the brief at 09:00 with the planned contact first, the prompt at 16:00, each once', async () => {
    expect((await sendMeetingLoop(deps(), at('2026-11-24T08:59:00Z'))).sent).toEqual([]);
    const morning = await sendMeetingLoop(deps(), at('2026-11-24T09:00:00Z'));
    expect(morning.sent).toEqual([`meeting-brief:${planId}:2026-11-24`]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe('alice@example.com');
    const brief = sent[0]!.reply;
    expect(replyText(brief)).toContain('Your meeting today: 2026-11-24 14:00 · Acme Telecom · Priya Nair · Pricing review');
    expect((brief.data as { contacts: Array<{ name: string }> }).contacts.map((c) => c.name)).toEqual(['Priya Nair', 'Tom Baker']);
    expect((brief.data as { suggestions: Array<{ contact: { name: string } }> }).suggestions[0]!.contact.name).toBe('Priya Nair');

    expect((await sendMeetingLoop(deps(), at('2026-11-24T15:59:00Z'))).sent).toEqual([]);
    const after = await sendMeetingLoop(deps(), at('2026-11-24T16:00:00Z'));
    expect(after.sent).toEqual([`meeting-followup:${planId}:2026-11-24T14:00`]);
    const prompt = sent[1]!.reply;
    expect(prompt.title).toBe('How did the meeting at Acme Telecom go?');
    expect(replyText(prompt)).toContain(`[Log visit](visit log #${planId})`);
    // Later runs, a restart (new deps) and a second instance send nothing more.
    await sendMeetingLoop(deps(), at('2026-11-24T16:01:00Z'));
    await sendMeetingLoop(deps('b'), at('2026-11-24T17:00:00Z'));
    expect(sent).toHaveLength(2);
  });

  it('two instances ticking at once on the same database send each message once', async () => {
    const scheduler1 = startScheduler(deps('one'), () => at('2026-11-24T09:05:00Z'));
    const scheduler2 = startScheduler(deps('two'), () => at('2026-11-24T09:05:00Z'));
    await Promise.all([scheduler1.tick(), scheduler2.tick(), scheduler1.tick(), scheduler2.tick()]);
    await Promise.all([scheduler1.stop(), scheduler2.stop()]);
    // A restart: a new scheduler on the same database, later that day.
    const restarted = startScheduler(deps('three'), () => at('2026-11-24T16:30:00Z'));
    await restarted.tick();
    await restarted.stop();
    const keys = (await t.db.selectFrom('deliveries').select(['key', 'status']).where('key', 'like', 'meeting-%').orderBy('key').execute());
    expect(keys).toEqual([
      { key: `meeting-brief:${planId}:2026-11-24`, status: 'sent' },
      { key: `meeting-followup:${planId}:2026-11-24T14:00`, status: 'sent' },
    ]);
    expect(sent.map((s) => s.reply.title ?? '')).toHaveLength(2);
  });

  it('pressing Log visit opens the prefilled form; logging it stops the prompt', async () => {
    await sendMeetingLoop(deps(), at('2026-11-24T09:00:00Z'));
    const alice = await actor(t.db, { as: 'alice@example.com', today: '2026-11-24' });
    const form = (await alice.run(`visit log #${planId}`)).form!;
    expect(form.values).toMatchObject({ date: '2026-11-24', purpose: 'Pricing review', summary: 'Pricing review: ' });
    expect((await alice.submit('visit', { ...form.values, summary: 'Agreed' }, form.context)).status).toBe('ok');
    expect((await sendMeetingLoop(deps(), at('2026-11-24T16:00:00Z'))).sent).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('a moved plan is briefed and prompted on its new day; a cancelled one gets nothing', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com', today: '2026-11-24' });
    await sendMeetingLoop(deps(), at('2026-11-24T09:00:00Z'));
    expect((await alice.run(`visit move #${planId} 2026-11-25 10:00`)).status).toBe('ok');
    expect((await sendMeetingLoop(deps(), at('2026-11-24T16:00:00Z'))).sent).toEqual([]);
    // 10:00 meeting: the brief at 09:00, the prompt at 12:00.
    expect((await sendMeetingLoop(deps(), at('2026-11-25T09:00:00Z'))).sent).toEqual([`meeting-brief:${planId}:2026-11-25`]);
    expect((await sendMeetingLoop(deps(), at('2026-11-25T12:00:00Z'))).sent).toEqual([`meeting-followup:${planId}:2026-11-25T10:00`]);

    await alice.run('visit plan Acme 2026-11-26 --with Tom');
    const second = (await t.db.selectFrom('planned_visits').select('id').where('date', '=', '2026-11-26').executeTakeFirstOrThrow()).id;
    expect((await alice.run(`visit cancel #${second} --yes`)).status).toBe('ok');
    expect((await sendMeetingLoop(deps(), at('2026-11-26T09:00:00Z'))).sent).toEqual([]);
    expect((await sendMeetingLoop(deps(), at('2026-11-26T17:00:00Z'))).sent).toEqual([]);
  });

  it('a plan made after 09:00 for later that day is briefed at once; one for a meeting already started is not', async () => {
    await t.db.deleteFrom('planned_visits').execute();
    const alice = await actor(t.db, { as: 'alice@example.com', today: '2026-11-24' });
    await alice.run('visit plan Acme 2026-11-24 15:00 --with Tom');
    await alice.run('visit plan Acme 2026-11-24 10:30 --with Priya');
    const report = await sendMeetingLoop(deps(), at('2026-11-24T11:00:00Z'));
    expect(report.sent).toHaveLength(1);
    expect(report.skipped).toHaveLength(1);
    // No time given: the prompt at 17:00.
    await alice.run('visit plan Acme 2026-11-24 --with Tom');
    const untimed = (await t.db.selectFrom('planned_visits').select('id').where('time', 'is', null).executeTakeFirstOrThrow()).id;
    const evening = await sendMeetingLoop(deps(), at('2026-11-24T17:00:00Z'));
    expect(evening.sent).toContain(`meeting-followup:${untimed}:2026-11-24T17:00`);
  });
});
