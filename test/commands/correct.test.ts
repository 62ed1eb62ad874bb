import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLine } from '../../src/core/dispatch.ts';
import type { Action, Reply } from '../../src/core/reply.ts';
import { actor, replyText, type TestActor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

type Brief = { contacts: Array<{ name: string; lastTouch: string | null; attitude: { level: string; trend: string } | null }>; openActions: Array<{ id: number; text: string; due: string | null }>; recentActivities: Array<{ id: number; summary: string | null }> };
type Digest = { sections: { activities: Array<Record<string, unknown>>; openActions: Array<{ text: string }> } };

/** The buttons of a reply. */
const buttons = (reply: Reply): Action[] => reply.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
const button = (reply: Reply, label: string): Action => {
  const found = buttons(reply).find((a) => a.label === label);
  if (!found) throw new Error(`no button "${label}" in ${replyText(reply)}`);
  return found;
};

describe('correct and undo (issue 15): visits, ratings, next steps', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let admin: TestActor;
  let alice: TestActor;
  let bob: TestActor;
  beforeEach(async () => {
    t = await tempDb();
    admin = await actor(t.db);
    await admin.run('account add "Acme Telecom" --tier strategic');
    await admin.run('contact add "Tom Baker" --account Acme --position A --role influencer --owner-a alice@example.com');
    alice = await actor(t.db, { as: 'alice@example.com' });
    bob = await actor(t.db, { as: 'bob@example.com' });
  });
  afterEach(async () => t.cleanup());

  const brief = async () => (await admin.run('brief Acme --json')).data as Brief;
  const tom = async () => (await brief()).contacts.find((c) => c.name === 'Tom Baker')!;
  const digest = async () => (await admin.run('digest preview --json')).data as Digest;
  const count = async (table: 'activities' | 'ratings' | 'next_steps') => (await t.db.selectFrom(table).select('id').execute()).length;
  const audit = async () => (await t.db.selectFrom('audit_log').select(['action', 'entity_id']).orderBy('id').execute()).map((a) => `${a.action} ${a.entity_id}`);

  async function logVisit(who: TestActor, flags = '--date 2026-11-20 --summary "Pricing review" --next "Send quote; alice@example.com; 2026-12-01"') {
    const reply = await who.run(`visit Acme --with "Tom Baker" ${flags}`);
    expect(reply.status, replyText(reply)).toBe('ok');
    const data = reply.data as { activity: { id: number }; undo: string };
    return { id: data.activity.id, undo: data.undo, reply };
  }

  it('a visit edited, deleted and its deletion undone: brief and digest follow at once', async () => {
    const visit = await logVisit(alice);
    expect(button(visit.reply, 'Undo').command).toBe(`undo ${visit.undo}`);
    expect(replyText(visit.reply)).toContain(`You can undo this for 10 minutes: undo ${visit.undo}`);
    expect(await tom()).toMatchObject({ lastTouch: '2026-11-20' });
    expect((await digest()).sections.activities).toHaveLength(1);

    // Edit: the form is the create form prefilled, without next steps.
    const form = (await alice.run(`visit edit #${visit.id}`)).form!;
    expect(form.values).toMatchObject({ date: '2026-11-20', summary: 'Pricing review', contacts: [expect.stringMatching(/^#\d+$/)] });
    expect(form.fields.map((f) => f.id)).not.toContain('next_steps');
    const edited = await alice.submit('visit', { ...form.values, date: '2026-11-18', summary: 'Pricing review, round two' }, form.context);
    expect(edited.status, replyText(edited)).toBe('ok');
    expect(await tom()).toMatchObject({ lastTouch: '2026-11-18' });
    expect((await brief()).recentActivities).toEqual([expect.objectContaining({ id: visit.id, summary: 'Pricing review, round two' })]);
    // The brief's text names the visit by its id, which is what `visit edit` takes.
    expect(replyText(await alice.run('brief Acme'))).toContain(`2026-11-18 Formal visit #${visit.id} — Tom Baker — Pricing review, round two`);

    // Delete asks first and deletes nothing until confirmed.
    const ask = await alice.run(`visit delete #${visit.id}`);
    expect(replyText(ask)).toContain(`Are you sure you want to delete visit #${visit.id} (Formal visit at Acme Telecom on 2026-11-18) with its next steps?`);
    const yes = button(ask, 'Yes, do it');
    expect(yes).toMatchObject({ command: `visit delete #${visit.id} --yes`, style: 'danger' });
    expect(await count('activities')).toBe(1);
    const deleted = await alice.run(yes.command);
    expect(deleted.status, replyText(deleted)).toBe('ok');
    expect(await tom()).toMatchObject({ lastTouch: null });
    expect((await brief()).openActions).toEqual([]);
    expect((await digest()).sections.activities).toEqual([]);
    expect((await digest()).sections.openActions).toEqual([]);

    // Undo brings back the same visit, with the same ids, once however often it is pressed.
    const stepId = (await t.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'activity.delete').executeTakeFirstOrThrow()).entity_id;
    expect(stepId).toBe(visit.id);
    const undo = button(deleted, 'Undo').command;
    const first = await alice.run(undo);
    expect(replyText(first)).toContain(`Undone: the deletion of visit #${visit.id}.`);
    const second = await alice.run(undo);
    expect(second.status).toBe('ok');
    expect(replyText(second)).toContain('Already undone');
    expect(await count('activities')).toBe(1);
    expect(await count('next_steps')).toBe(1);
    expect(await tom()).toMatchObject({ lastTouch: '2026-11-18' });
    expect((await brief()).openActions).toEqual([expect.objectContaining({ text: 'Send quote', due: '2026-12-01' })]);
    expect((await digest()).sections.activities).toHaveLength(1);
    expect(await audit()).toEqual(expect.arrayContaining([`activity.create ${visit.id}`, `activity.update ${visit.id}`, `activity.delete ${visit.id}`, `activity.undo ${visit.id}`]));
    expect((await audit()).filter((a) => a.startsWith('activity.undo'))).toHaveLength(1);
  });

  it('a rating edited, deleted and undone: the attitude in the brief follows', async () => {
    const rated = await alice.run('rate "Tom Baker" supportive --date 2026-11-20');
    const { rating, undo } = rated.data as { rating: { id: number }; undo: string };
    expect((await tom()).attitude).toMatchObject({ level: 'supportive' });
    const edited = await alice.run(`rate edit #${rating.id} coach`);
    expect(edited.status, replyText(edited)).toBe('ok');
    expect((await tom()).attitude).toMatchObject({ level: 'coach' });
    // The first write's undo no longer matches what is there: refused, nothing changed.
    expect((await alice.run(`undo ${undo}`)).data).toMatchObject({ error: 'undo.changed' });
    expect((await tom()).attitude).toMatchObject({ level: 'coach' });

    const deleted = await alice.run(`rate delete #${rating.id} --yes`);
    expect(replyText(deleted)).toContain('Attitude now: Unknown');
    expect((await tom()).attitude).toBeNull();
    await alice.run(button(deleted, 'Undo').command);
    expect((await tom()).attitude).toMatchObject({ level: 'coach' });
    // Undoing the edit puts the first rating back.
    await alice.run(`undo ${(edited.data as { undo: string }).undo}`);
    expect((await tom()).attitude).toMatchObject({ level: 'supportive' });
  });

  it('a next step edited, deleted, done and reopened: brief and digest follow', async () => {
    await logVisit(alice);
    const step = (await brief()).openActions[0]!;
    const edited = await alice.run(`step edit #${step.id} --due 2026-11-22 --text "Send the final quote"`);
    expect(edited.status, replyText(edited)).toBe('ok');
    expect((await brief()).openActions).toEqual([expect.objectContaining({ id: step.id, text: 'Send the final quote', due: '2026-11-22' })]);
    expect((await digest()).sections.openActions).toEqual([expect.objectContaining({ text: 'Send the final quote' })]);

    const done = await alice.run(`done #${step.id}`);
    expect((await brief()).openActions).toEqual([]);
    await alice.run(button(done, 'Undo').command);
    expect((await brief()).openActions).toEqual([expect.objectContaining({ id: step.id })]);

    expect((await alice.run(`step delete #${step.id}`)).data).toMatchObject({ confirm: { command: `step delete #${step.id} --yes` } });
    const deleted = await alice.run(`step delete #${step.id} --yes`);
    expect((await brief()).openActions).toEqual([]);
    await alice.run(button(deleted, 'Undo').command);
    expect((await brief()).openActions).toEqual([expect.objectContaining({ id: step.id, text: 'Send the final quote' })]);
  });

  it('undo of a visit logged by mistake removes it and its touch', async () => {
    const visit = await logVisit(alice);
    expect((await alice.run(`undo ${visit.undo}`)).status).toBe('ok');
    expect(await count('activities')).toBe(0);
    expect(await count('next_steps')).toBe(0);
    expect(await tom()).toMatchObject({ lastTouch: null });
    expect((await digest()).sections.activities).toEqual([]);
  });

  it('only the author or an admin may correct; only the same person may undo, within 10 minutes', async () => {
    const visit = await logVisit(alice);
    const rating = ((await alice.run('rate "Tom Baker" neutral')).data as { rating: { id: number } }).rating.id;
    const step = (await brief()).openActions[0]!.id;
    for (const line of [`visit edit #${visit.id} --summary "Not mine"`, `visit delete #${visit.id} --yes`, `rate edit #${rating} coach`, `rate delete #${rating} --yes`, `step edit #${step} --due 2026-12-30`, `step delete #${step} --yes`]) {
      const refused = await bob.run(line);
      expect(refused.data, line).toMatchObject({ error: 'access.author_only', author: 'alice' });
      expect(replyText(refused)).toContain('Only alice (who recorded');
    }
    // Bob's form for Alice's visit, submitted anyway: refused the same.
    const form = (await alice.run(`visit edit #${visit.id}`)).form!;
    expect((await bob.submit('visit', { ...form.values, summary: 'Forged' }, form.context)).data).toMatchObject({ error: 'access.author_only' });
    expect((await bob.run(`undo ${visit.undo}`)).data).toEqual({ error: 'undo.not_yours' });
    expect((await brief()).recentActivities).toEqual([expect.objectContaining({ summary: 'Pricing review' })]);
    expect(await count('ratings')).toBe(1);

    // An admin may.
    expect((await admin.run(`visit edit #${visit.id} --summary "Fixed by an admin"`)).status).toBe('ok');
    expect((await admin.run(`rate delete #${rating} --yes`)).status).toBe('ok');
    expect((await brief()).recentActivities).toEqual([expect.objectContaining({ summary: 'Fixed by an admin' })]);

    // Eleven minutes later Alice's undo has run out.
    const later = { ...alice.ctx, now: new Date(alice.ctx.now.getTime() + 11 * 60_000) };
    const late = await runLine(later, `undo ${((await logVisit(alice, '--summary "Another"')).undo)}`);
    expect(late.data).toEqual({ error: 'undo.expired', minutes: 10 });
  });

  it('answers an unknown record with its id, and in Chinese', async () => {
    expect((await alice.run('visit edit #999')).data).toEqual({ error: 'visit.not_found', id: 999 });
    // Without an id: how to say it, not a search for an account called "edit".
    expect((await alice.run('visit edit')).data).toMatchObject({ error: 'usage.missing_subject', argument: 'id' });
    expect((await alice.run('rate delete Tom')).data).toMatchObject({ error: 'command.usage' });
    const zh = await actor(t.db, { as: 'alice@example.com', locale: 'zh-CN' });
    expect(replyText(await zh.run('rate delete #999'))).toContain('没有评价 #999。');
    const visit = await logVisit(alice);
    expect(replyText(await zh.run(`visit delete #${visit.id}`))).toContain('确定要删除拜访');
  });

  it('forget asks first; confirmed, it also drops every pending undo', async () => {
    const visit = await logVisit(alice);
    const ask = await admin.run('forget contact tom --account acme');
    expect(replyText(ask)).toContain('Are you sure you want to erase the personal data of Tom Baker (Acme Telecom) for good (this cannot be undone)?');
    expect(await t.db.selectFrom('contacts').select('name').where('name', '=', 'Tom Baker').execute()).toHaveLength(1);
    const yes = button(ask, 'Yes, do it');
    expect(yes.command).toMatch(/^forget contact #\d+ --account #\d+ --yes$/);
    expect((await admin.run(yes.command)).status).toBe('ok');
    expect(await t.db.selectFrom('contacts').select('name').where('name', '=', 'Tom Baker').execute()).toHaveLength(0);
    expect(await t.db.selectFrom('undo_actions').select('token').execute()).toEqual([]);
    expect((await alice.run(`undo ${visit.undo}`)).data).toMatchObject({ error: 'undo.expired' });
  });
});
