import { listOpenNextSteps, listRecentActivities } from '../src/db/activity.repository.ts';
import { findAccountById } from '../src/db/account.repository.ts';
import { findPeopleByIds } from '../src/db/person.repository.ts';
import { assess } from '../src/core/assessment.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { AppError, NameError } from '../src/core/errors.ts';
import { arg, flag } from '../src/core/args.ts';
import { attitudeJson, attitudeText, careText, fit, gapJson, gapText, personName, ref } from '../src/core/format.ts';
import { accountHeader, accountPeopleFacts } from '../src/core/account-header.ts';
import type { Reply } from '../src/core/reply.ts';
import { resolveAccount, resolveContact } from '../src/core/resolve.ts';
import type { ContactAssessment } from '../src/domain/assess.ts';
import { ROLES } from '../src/domain/model.ts';
import type { Account, Contact } from '../src/domain/types.ts';
import { joinList, label, labelled, t, withNote, type Locale } from '../src/i18n/index.ts';
import { loadDepartmentView } from '../src/core/departments.ts';
import { departmentJson, departmentSection } from './dept.ts';
import { isPictureFile, mapImage, renderPowerMap, writePicture } from './map.ts';
import type { AccountAssessment } from '../src/domain/assess.ts';
import { planJson, planLine, type PlanView } from '../src/core/meetings.ts';

const RECENT_ACTIVITIES = 5;

/** `brief <account or contact>`: the pre-meeting brief (interfaces.md). */
export const brief = defineCommand({
  name: 'brief',
  slash: true,
  usage: 'brief <account or contact> [--out FILE.png|FILE.svg] | brief --contact <contact>',
  grammar: {
    subject: { name: 'account_or_contact', required: true, unlessFlags: ['contact'], picker: 'account' },
    flags: { contact: arg.text('CONTACT'), out: arg.text('FILE.png|FILE.svg') },
  },
  summary: 'cmd.brief.summary',
  examples: ['brief Acme', 'brief "Tom Baker"'],
  run: async (ctx, args) => {
    const query = args.positional.join(' ');
    const contactRef = flag(args, 'contact');
    const out = flag(args, 'out');
    if (!isPictureFile(out)) throw new AppError('command.usage', { usage: brief.usage });
    const accountBrief = (account: Account, focus?: Contact) => briefWithPicture(ctx, account, focus, out);
    if (contactRef) {
      const contact = await resolveContact(ctx, contactRef);
      return accountBrief((await findAccountById(ctx.db, contact.accountId))!, contact);
    }
    if (!query) throw new AppError('command.usage', { usage: brief.usage });
    try {
      return await accountBrief(await resolveAccount(ctx, query));
    } catch (error) {
      // Not an account: perhaps a contact, whose account's brief opens on them.
      if (!(error instanceof NameError) || error.code !== 'name.not_found') throw error;
      const contact = await resolveContact(ctx, query).catch(() => {
        throw error;
      });
      return accountBrief((await findAccountById(ctx.db, contact.accountId))!, contact);
    }
  },
});

/**
 * The brief with its power map picture (issue 18 part 1). Chat and the console get it as the
 * reply's image, drawn only when the adapter asks (after the text is sent): the command itself
 * renders nothing. `--out` writes it here (.png or .svg; CLI and console only: never a file on the
 * server from chat); the CLI without `--out` gets a one-line
 * hint. An account with no contacts has no picture (an empty map says nothing the brief does not).
 * `meeting`: a planned visit's brief (`visit brief #id`, the morning brief), its contacts first.
 */
export async function briefWithPicture(ctx: Context, account: Account, focus: Contact | undefined, out: string | undefined, meeting?: PlanView): Promise<Reply> {
  const L = ctx.locale;
  const { reply, assessment } = await accountBrief(ctx, account, focus, meeting);
  if (assessment.contacts.length === 0) return reply;
  const picture = renderPowerMap(L, assessment);
  // A file on this machine only for the one at its keyboard: from chat, --out is ignored (the picture goes with the reply).
  if (out !== undefined && (ctx.via === 'cli' || ctx.via === 'console')) {
    const file = await writePicture(out, picture);
    reply.blocks.push({ type: 'text', text: t(L, 'map.saved', { account: account.name, file, contacts: assessment.contacts.length }), tone: 'success' });
  } else if (ctx.via === 'cli') {
    reply.blocks.push({ type: 'text', text: t(L, 'brief.map_hint', { command: `mcr brief #${account.id} --out map.png` }), tone: 'muted' });
  } else {
    reply.image = mapImage(account, t(L, 'map.title', { account: account.name }), picture.png);
  }
  return reply;
}

/** The brief of an account; `meeting`: a planned visit's, with its contacts first (issue 18 part 2, `visit brief #id`). */
export async function accountBrief(ctx: Context, account: Account, focus?: Contact, meeting?: PlanView): Promise<{ reply: Reply; assessment: AccountAssessment }> {
  const L = ctx.locale;
  const { assessment: a, people } = await assess(ctx, account);
  const [openSteps, recent] = await Promise.all([listOpenNextSteps(ctx.db, { accountId: account.id }), listRecentActivities(ctx.db, account.id, RECENT_ACTIVITIES)]);
  const morePeople = await findPeopleByIds(ctx.db, openSteps.map((s) => s.ownerId).filter((id): id is number => id !== null && !people.has(id)));
  for (const [id, p] of morePeople) people.set(id, p);
  const contacts = new Map(a.contacts.map((c) => [c.contact.id, c.contact]));
  const owners = (c: Contact) => [c.ownerAId, c.ownerBId, c.ownerCId].filter((id): id is number => id !== null);
  const first = meeting?.plan.contactIds ?? (focus ? [focus.id] : []);
  const ordered = orderChain(a.contacts, first);
  const key = ordered.filter((c) => c.key || first.includes(c.contact.id));
  const others = a.contacts.length - key.length;

  const reply = accountHeader(L, account, accountPeopleFacts(L, account, people));
  if (meeting) reply.blocks.unshift({ type: 'text', text: t(L, 'meeting.brief.intro', { plan: planLine(L, meeting) }) });
  reply.blocks.push({ type: 'heading', text: t(L, 'brief.decision_chain') });
  if (key.length === 0) reply.blocks.push({ type: 'text', text: t(L, 'brief.no_key_contacts'), tone: 'muted' });
  else {
    reply.blocks.push({
      type: 'table',
      columns: [t(L, 'field.name'), t(L, 'field.position'), t(L, 'field.role'), t(L, 'field.attitude'), t(L, 'field.last_touch'), t(L, 'field.owners')],
      rows: key.map((c) => [
        c.contact.name + (c.contact.risingStar ? ' ★' : ''),
        c.contact.position ?? '—',
        label(L, 'role', c.contact.role),
        attitudeText(L, c.attitude),
        c.lastTouch ?? t(L, 'brief.never'),
        joinList(L, owners(c.contact).map((id) => personName(people, id) ?? '')) || '—',
      ]),
      // On a narrow screen the owners go first: the brief is about the client's side.
      optional: [5],
    });
  }
  if (others > 0) reply.blocks.push({ type: 'text', text: t(L, 'brief.other_contacts', { count: others }), tone: 'muted' });

  reply.blocks.push({ type: 'heading', text: t(L, 'brief.open_actions') });
  if (openSteps.length === 0) reply.blocks.push({ type: 'text', text: t(L, 'brief.none'), tone: 'muted' });
  else {
    reply.blocks.push({
      type: 'list',
      items: openSteps.map((s) => {
        const due = s.dueOn ? (s.dueOn < ctx.today ? t(L, 'brief.overdue_since', { date: s.dueOn }) : t(L, 'brief.due', { date: s.dueOn })) : '';
        return [s.text, personName(people, s.ownerId), due].filter(Boolean).join(' — ');
      }),
    });
    reply.blocks.push({ type: 'actions', actions: openSteps.slice(0, 5).map((s) => ({ label: t(L, 'action.mark_done', { text: fit(s.text, 30) }), command: `done #${s.id}` })) });
  }

  if (recent.length > 0) {
    reply.blocks.push(
      { type: 'heading', text: t(L, 'brief.recent') },
      {
        type: 'list',
        items: recent.map((r) => {
          const met = joinList(L, r.contactIds.map((id) => contacts.get(id)?.name).filter((name): name is string => Boolean(name)));
          // The id, so a visit can be corrected: `visit edit #12` (issue 15).
          return [`${r.date} ${label(L, 'activity', r.type)} #${r.id}`, met, r.summary ?? r.purpose].filter(Boolean).join(' — ');
        }),
      },
    );
  }

  if (a.care.length > 0) {
    reply.blocks.push({ type: 'heading', text: t(L, 'brief.care') }, { type: 'list', items: a.care.map((item) => careText(L, item, contacts, (id) => personName(people, id) ?? '—')) });
  }
  reply.blocks.push({ type: 'heading', text: t(L, 'brief.gaps') });
  reply.blocks.push(a.gaps.length > 0 ? { type: 'list', items: a.gaps.map((g) => gapText(L, g, contacts)) } : { type: 'text', text: t(L, 'tier.no_gaps'), tone: 'success' });

  // A meeting's planned contacts get their suggestions (§10) first, key or not.
  const suggested = key.filter((c) => c.key || (meeting && first.includes(c.contact.id))).slice(0, Math.max(5, first.length));
  if (suggested.length > 0) {
    reply.blocks.push(
      { type: 'heading', text: t(L, 'brief.suggestions') },
      { type: 'list', items: suggested.map((c) => suggestionText(L, c)) },
      { type: 'text', text: t(L, 'suggest.compliance'), tone: 'muted' },
    );
  }
  // §11 only for accounts that record department scores.
  const departments = await loadDepartmentView(ctx.db, account, ctx.today, { recordedOnly: true });
  if (departments) reply.blocks.push(...departmentSection(L, departments));
  reply.blocks.push({
    type: 'actions',
    actions: [
      { label: t(L, 'action.log_visit'), command: meeting ? `visit log #${meeting.plan.id}` : `visit #${account.id}`, style: 'primary' },
      ...(focus ? [{ label: t(L, 'action.rate', { name: focus.name }), command: `rate #${focus.id}` }] : []),
      { label: t(L, 'action.tier'), command: `tier #${account.id}` },
      // Issue 18: the decision chain as a picture.
      { label: t(L, 'action.map'), command: `map #${account.id}` },
    ],
  });

  reply.share = focus ? `brief --contact #${focus.id}` : `brief #${account.id}`;
  reply.data = {
    account: ref(account),
    tier: account.tier,
    contacts: ordered.map((c) => ({
      id: c.contact.id,
      name: c.contact.name,
      position: c.contact.position,
      role: c.contact.role,
      key: c.key,
      attitude: attitudeJson(c.attitude),
      lastTouch: c.lastTouch,
      owners: owners(c.contact).map((id) => ({ id, name: personName(people, id) })),
    })),
    openActions: openSteps.map((s) => ({ id: s.id, text: s.text, owner: s.ownerId === null ? null : { id: s.ownerId, name: personName(people, s.ownerId) }, due: s.dueOn, overdue: s.dueOn !== null && s.dueOn < ctx.today })),
    recentActivities: recent.map((r) => ({ id: r.id, date: r.date, type: r.type, contacts: r.contactIds.map((id) => ({ id, name: contacts.get(id)?.name ?? null })), summary: r.summary })),
    upcomingCare: a.care.map((item) =>
      item.kind === 'birthday'
        ? { kind: item.kind, date: item.date, daysAway: item.daysAway, contact: ref(contacts.get(item.contactId)!) }
        : { kind: item.kind, date: item.date, daysAway: item.daysAway, holiday: item.holiday.code ?? item.holiday.name, contacts: item.contactIds.map((id) => ref(contacts.get(id)!)) },
    ),
    gaps: a.gaps.map((g) => gapJson(g, contacts)),
    suggestions: key.filter((c) => c.key).map((c) => ({ contact: ref(c.contact), ...c.suggestion })),
    ...(departments && { departments: departmentJson(departments) }),
    ...(meeting && { meeting: planJson(meeting) }),
  };
  return { reply, assessment: a };
}

/** Decision makers first, then influencers, evaluators, users, others; the focus contact on top. */
function orderChain(contacts: ContactAssessment[], first: readonly number[]): ContactAssessment[] {
  // The focus contact or a meeting's planned contacts on top, in the order named.
  const rank = (c: ContactAssessment) => (first.includes(c.contact.id) ? first.indexOf(c.contact.id) : first.length);
  return [...contacts].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      ROLES.indexOf(a.contact.role) - ROLES.indexOf(b.contact.role) ||
      a.contact.name.localeCompare(b.contact.name),
  );
}

function suggestionText(L: Locale, c: ContactAssessment): string {
  const parts = [joinList(L, c.suggestion.approach.map((s) => label(L, 'approach', s)))];
  if (c.suggestion.needs.length > 0) parts.push(joinList(L, c.suggestion.needs.map((s) => label(L, 'need_action', s))));
  if (c.suggestion.style) parts.push(label(L, 'style_tip', c.suggestion.style));
  return labelled(L, withNote(L, c.contact.name, attitudeText(L, c.attitude)), parts.join(t(L, 'format.parts_separator')));
}

