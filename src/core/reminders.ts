import { listAccounts } from '../db/account.repository.ts';
import { listOpenNextSteps } from '../db/activity.repository.ts';
import { findPeopleByIds } from '../db/person.repository.ts';
import { eachAccountSnapshot } from '../db/snapshot.repository.ts';
import { assessAccount } from '../domain/assess.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import type { Contact, Person } from '../domain/types.ts';
import { localeFromTag, t, type Locale } from '../i18n/index.ts';
import type { Context } from './command.ts';
import { careText, fit, gapText } from './format.ts';
import type { Block, Reply } from './reply.ts';

/** The sections of a morning reminder (issue 7): their care, next steps and key contacts going cold. */
const SECTIONS = ['care', 'steps', 'cold'] as const;
type Line = (L: Locale) => { section: (typeof SECTIONS)[number]; text: string };

/**
 * Everyone's reminder for `today`, in their own language: care due in the window for
 * the contacts they own (§8), their next steps due today or overdue (§5), and their
 * key contacts going cold (§7 key-contact touch). People with nothing due get none.
 */
export async function buildReminders(ctx: Context, today: IsoDate): Promise<Map<number, { person: Person; reply: Reply }>> {
  const items = new Map<number, { lines: Line[]; actions: Array<{ label: string; command: string }> }>();
  const add = (personId: number, line: Line) => {
    const entry = items.get(personId) ?? { lines: [], actions: [] };
    entry.lines.push(line);
    items.set(personId, entry);
  };
  const owners = (c: Contact | undefined) => (c ? [c.ownerAId, c.ownerBId, c.ownerCId].filter((id): id is number => id !== null) : []);
  for await (const snapshot of eachAccountSnapshot(ctx.db, await listAccounts(ctx.db), today, ctx.rules)) {
    const { account } = snapshot;
    const a = assessAccount(snapshot, today, ctx.rules);
    const byId = new Map(snapshot.contacts.map((c) => [c.id, c]));
    for (const item of a.care) {
      const ids = item.kind === 'birthday' ? [item.contactId] : item.contactIds;
      const people = new Set(ids.flatMap((id) => owners(byId.get(id))));
      for (const personId of people) add(personId, (L) => ({ section: 'care', text: `${account.name} · ${careText(L, item, byId)}` }));
    }
    for (const gap of a.gaps) {
      if (gap.code !== 'cadence_overdue' || gap.rule !== 'key_contact_touch' || gap.contactId === undefined) continue;
      for (const personId of owners(byId.get(gap.contactId))) {
        add(personId, (L) => ({ section: 'cold', text: `${account.name} · ${gapText(L, gap, byId)}` }));
        items.get(personId)!.actions.push({ label: account.name, command: `visit #${account.id}` });
      }
    }
  }
  for (const step of await listOpenNextSteps(ctx.db, { dueBefore: addDays(today, 1) })) {
    if (step.ownerId === null) continue;
    add(step.ownerId, (L) => ({ section: 'steps', text: [step.text, step.dueOn && step.dueOn < today ? t(L, 'brief.overdue_since', { date: step.dueOn }) : t(L, 'brief.due', { date: step.dueOn ?? today })].join(' — ') }));
    items.get(step.ownerId)!.actions.push({ label: step.text, command: `done #${step.id}` });
  }
  const people = await findPeopleByIds(ctx.db, [...items.keys()]);
  const out = new Map<number, { person: Person; reply: Reply }>();
  for (const [personId, entry] of items) {
    const person = people.get(personId);
    if (!person) continue;
    const L = localeFromTag(person.locale, ctx.locale);
    const lines = entry.lines.map((line) => line(L));
    const blocks: Block[] = [];
    for (const section of SECTIONS) {
      const texts = lines.filter((l) => l.section === section).map((l) => l.text);
      if (texts.length > 0) blocks.push({ type: 'heading', text: t(L, `remind.section.${section}`) }, { type: 'list', items: texts });
    }
    const done = entry.actions.filter((a) => a.command.startsWith('done')).slice(0, 5).map((a) => ({ label: t(L, 'action.mark_done', { text: fit(a.label, 30) }), command: a.command }));
    const visits = [...new Map(entry.actions.filter((a) => a.command.startsWith('visit')).map((a) => [a.command, a])).values()].slice(0, 3).map((a) => ({ label: t(L, 'digest.log_visit', { name: a.label }), command: a.command }));
    if (done.length + visits.length > 0) blocks.push({ type: 'actions', actions: [...done, ...visits] });
    out.set(personId, { person, reply: { title: t(L, 'remind.title', { date: today }), blocks, visibility: 'private', data: { person: { id: person.id, name: person.name }, date: today, lines } } });
  }
  return out;
}

