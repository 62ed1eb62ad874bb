import { listDigestMeetings, meetingLines, type DigestMeeting } from './digest-meetings.ts';
import { listAccountIds, listAccounts, listAccountsOf, listAccountsWhere } from '../db/account.repository.ts';
import { listActivitiesBetween, listOpenNextSteps } from '../db/activity.repository.ts';
import type { DigestScope } from '../db/digest.repository.ts';
import { findPeopleByIds } from '../db/person.repository.ts';
import { eachAccountSnapshot } from '../db/snapshot.repository.ts';
import { assessAccount } from '../domain/assess.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import { attitudeChanges } from '../domain/digest.ts';
import type { CadenceRule, GapCode, Level } from '../domain/model.ts';
import type { Account, Contact, Person } from '../domain/types.ts';
import { type IdIn, joinList, label, labelKey, labelled, t } from '../i18n/index.ts';
import type { Context } from './command.ts';
import { careText, fit, gapText, ref } from './format.ts';
import { mention } from './mentions.ts';
import type { Action, Block, Reply } from './reply.ts';

type Ref = { id: number; name: string };

/** The period a digest reports on: `from` up to the day before `to`; care and overdue are as of `to`. */
export interface DigestPeriod {
  frequency: 'weekly' | 'daily';
  from: IsoDate;
  to: IsoDate;
}

/** The `digest preview` JSON of interfaces.md. */
export interface Digest {
  asOf: IsoDate;
  period: DigestPeriod;
  sections: {
    activities: Array<{ id: number; date: IsoDate; account: Ref; type: string; contacts: Ref[]; attendees: Ref[]; summary: string | null }>;
    attitudeChanges: Array<{ account: Ref; contact: Ref; from: Level | null; to: Level | null; trend: string | null; ratedBy: Ref | null; date: IsoDate }>;
    reviewsDue: Array<{ kind: 'plan' | 'tier'; account: Ref; contact?: Ref; days: number; owners: Ref[] }>;
    care: Array<{ date: IsoDate; daysAway: number; kind: 'birthday' | 'holiday'; account: Ref; contacts: Ref[]; holiday?: string; owners: Ref[]; text: string }>;
    overdue: Array<{ account: Ref; rule: CadenceRule; contact?: Ref; days: number; owners: Ref[] }>;
    gaps: Array<{ account: Ref; code: GapCode; contact?: Ref }>;
    openActions: Array<{ id: number; account: Ref; text: string; owner: Ref | null; due: IsoDate | null }>;
    /** Issue 18 part 2: visits planned in the coming week (src/core/digest-meetings.ts). */
    meetings: DigestMeeting[];
  };
}

/** The accounts a scope follows. */
export async function accountsInScope(ctx: Context, scope: DigestScope): Promise<Account[]> {
  switch (scope.kind) {
    case 'all':
      return listAccounts(ctx.db);
    case 'mine':
      return listAccountsOf(ctx.db, scope.personId);
    case 'tier':
      return listAccountsWhere(ctx.db, { tier: scope.tier });
    case 'accounts':
      return listAccountsWhere(ctx.db, { ids: scope.accountIds });
  }
}

/** The ids of the accounts a scope follows, in name order (as {@link accountsInScope}). */
export async function accountIdsInScope(ctx: Context, scope: DigestScope): Promise<number[]> {
  switch (scope.kind) {
    case 'all':
      return listAccountIds(ctx.db);
    case 'mine':
      return listAccountIds(ctx.db, { personId: scope.personId });
    case 'tier':
      return listAccountIds(ctx.db, { tier: scope.tier });
    case 'accounts':
      return listAccountIds(ctx.db, { ids: scope.accountIds });
  }
}

/** How many accounts one part of a digest covers (see {@link digestParts}). */
export const DIGEST_PART_ACCOUNTS = 1_000;

/** One part of a digest: the digest of its accounts, and where it stands among the parts. */
export interface DigestPart extends BuiltDigest {
  /** 1-based. */
  part: number;
  parts: number;
}

/**
 * A digest of a scope, a part at a time (issue 19): the scope's accounts in name order,
 * {@link DIGEST_PART_ACCOUNTS} a part, each part built only when the one before has been
 * used (rendered and posted), so a digest of 100,000 accounts never holds more than one
 * part's accounts, facts and sections. Only the ids of the scope are read up front.
 * A scope of up to one part's accounts gives exactly {@link buildDigest}'s digest; a
 * larger one gives the same items, each section sorted (worst first, soonest first)
 * within its part.
 */
export async function* digestParts(ctx: Context, scope: DigestScope, period: DigestPeriod, size = DIGEST_PART_ACCOUNTS): AsyncGenerator<DigestPart> {
  const ids = await accountIdsInScope(ctx, scope);
  const parts = Math.max(1, Math.ceil(ids.length / size));
  for (let part = 0; part < parts; part++) {
    const accounts = await listAccountsWhere(ctx.db, { ids: ids.slice(part * size, (part + 1) * size) });
    yield { ...(await buildDigest(ctx, accounts, period)), part: part + 1, parts };
  }
}

/** A digest, and our people it names (for mentions when it is rendered). */
export interface BuiltDigest {
  digest: Digest;
  people: ReadonlyMap<number, Person>;
}

/** What a digest's sections say of a contact. */
type ContactRef = Pick<Contact, 'id' | 'name' | 'ownerAId' | 'ownerBId'>;

/**
 * Everything a digest says about its accounts (issue 7): what happened in the period,
 * attitude changes (§3), plan and tier reviews due (§6, §1), care in the next days
 * (§8), cadence overdue worst first (§7), coverage gaps (§9) and overdue next steps.
 */
export async function buildDigest(ctx: Context, accounts: readonly Account[], period: DigestPeriod): Promise<BuiltDigest> {
  const asOf = period.to;
  const digest: Digest = { asOf, period, sections: { activities: [], attitudeChanges: [], reviewsDue: [], care: [], overdue: [], gaps: [], openActions: [], meetings: [] } };
  const s = digest.sections;
  const peopleIds = new Set<number>();
  // What the sections say of each contact, and no more: a digest of every account holds all of them.
  const contactsById = new Map<number, ContactRef>();
  const accountOf = new Map<number, Account>(accounts.map((a) => [a.id, a]));
  const ownersOf = (c: ContactRef | undefined, account: Account) => {
    const ids = c ? [c.ownerAId, c.ownerBId].filter((id): id is number => id !== null) : [account.accountManagerId].filter((id): id is number => id !== null);
    ids.forEach((id) => peopleIds.add(id));
    return ids;
  };
  const pending: Array<() => void> = [];
  for await (const snapshot of eachAccountSnapshot(ctx.db, accounts, asOf, ctx.rules)) {
    const { account } = snapshot;
    const a = assessAccount(snapshot, asOf, ctx.rules);
    for (const c of snapshot.contacts) contactsById.set(c.id, { id: c.id, name: c.name, ownerAId: c.ownerAId, ownerBId: c.ownerBId });
    const contactRef = (id: number | undefined) => (id === undefined ? undefined : ref(contactsById.get(id)!));
    for (const change of attitudeChanges(snapshot.ratings, period.from, period.to, ctx.rules)) {
      if (change.ratedBy !== null) peopleIds.add(change.ratedBy);
      pending.push(() => s.attitudeChanges.push({ account: ref(account), contact: contactRef(change.contactId)!, from: change.from, to: change.to, trend: change.trend, ratedBy: change.ratedBy === null ? null : personRef(change.ratedBy), date: change.date }));
    }
    for (const gap of a.gaps) {
      const contact = gap.contactId === undefined ? undefined : contactsById.get(gap.contactId);
      if (gap.code === 'cadence_overdue') {
        const owners = ownersOf(contact, account);
        pending.push(() => s.overdue.push({ account: ref(account), rule: gap.rule!, ...(contact && { contact: ref(contact) }), days: gap.days ?? 0, owners: owners.map(personRef) }));
      } else if (gap.code === 'plan_review_due' || gap.code === 'tier_review_due') {
        const plan = a.plans.find((p) => p.plan.contactId === gap.contactId);
        const owners = gap.code === 'plan_review_due' ? [plan?.plan.ownerId].filter((id): id is number => id != null) : ownersOf(undefined, account);
        owners.forEach((id) => peopleIds.add(id));
        pending.push(() => s.reviewsDue.push({ kind: gap.code === 'plan_review_due' ? 'plan' : 'tier', account: ref(account), ...(contact && { contact: ref(contact) }), days: gap.days ?? 0, owners: owners.map(personRef) }));
      } else {
        s.gaps.push({ account: ref(account), code: gap.code, ...(contact && { contact: ref(contact) }) });
      }
    }
    for (const item of a.care) {
      const ids = item.kind === 'birthday' ? [item.contactId] : item.contactIds;
      const owners = [...new Set(ids.flatMap((id) => ownersOf(contactsById.get(id), account)))];
      pending.push(() =>
        s.care.push({
          date: item.date,
          daysAway: item.daysAway,
          kind: item.kind,
          account: ref(account),
          contacts: ids.map((id) => contactRef(id)!),
          ...(item.kind === 'holiday' && { holiday: item.holiday.code ?? item.holiday.name }),
          owners: owners.map(personRef),
          text: careText(ctx.locale, item, contactsById, (id) => mention(id)),
        }),
      );
    }
  }
  const ids = accounts.map((a) => a.id);
  const activities = await listActivitiesBetween(ctx.db, ids, period.from, period.to);
  const steps = await listOpenNextSteps(ctx.db, { accountIds: ids, dueBefore: asOf });
  for (const activity of activities) activity.attendeeIds.forEach((id) => peopleIds.add(id));
  for (const step of steps) if (step.ownerId !== null) peopleIds.add(step.ownerId);
  const meetings = await listDigestMeetings(ctx.db, ids, period.to, peopleIds);
  const people = await findPeopleByIds(ctx.db, [...peopleIds]);
  function personRef(id: number): Ref {
    return { id, name: people.get(id)?.name ?? `#${id}` };
  }
  for (const fill of pending) fill();
  s.meetings.push(...meetings.map(({ ownerId, ...m }) => ({ ...m, owner: personRef(ownerId) })));
  for (const activity of activities) {
    s.activities.push({
      id: activity.id,
      date: activity.date,
      account: ref(accountOf.get(activity.accountId)!),
      type: activity.type,
      contacts: activity.contactIds.map((id) => ({ id, name: contactsById.get(id)?.name ?? `#${id}` })),
      attendees: activity.attendeeIds.map(personRef),
      summary: activity.summary ?? activity.purpose,
    });
  }
  for (const step of steps) s.openActions.push({ id: step.id, account: ref(accountOf.get(step.accountId)!), text: step.text, owner: step.ownerId === null ? null : personRef(step.ownerId), due: step.dueOn });
  // Worst first: the longest overdue cadence, the oldest next step; care soonest first.
  s.overdue.sort((x, y) => y.days - x.days);
  s.openActions.sort((x, y) => (x.due ?? '').localeCompare(y.due ?? ''));
  s.care.sort((x, y) => x.date.localeCompare(y.date) || x.account.name.localeCompare(y.account.name));
  return { digest, people };
}

const MAX_BUTTONS = 5;

/** A digest as a reply: one heading and list per section that has something; owners as mentions. */
export function digestReply(ctx: Context, { digest, people, part, parts }: BuiltDigest & Partial<Pick<DigestPart, 'part' | 'parts'>>): Reply {
  const L = ctx.locale;
  const s = digest.sections;
  const owners = (refs: Ref[]) => joinList(L, refs.map((p) => mention(p.id)));
  const blocks: Block[] = [];
  const section = (key: IdIn<'digest.section'>, items: string[], actions: Action[] = []) => {
    if (items.length === 0) return;
    blocks.push({ type: 'heading', text: t(L, labelKey('digest.section', key)) }, { type: 'list', items });
    if (actions.length > 0) blocks.push({ type: 'actions', actions: actions.slice(0, MAX_BUTTONS) });
  };
  /** One button per account (the first few), opening its brief or its visit form. */
  const accountButtons = (accounts: Ref[], action: 'brief' | 'visit') =>
    [...new Map(accounts.map((a) => [a.id, a])).values()]
      .slice(0, MAX_BUTTONS)
      .map((a) => ({ label: t(L, action === 'brief' ? 'digest.open_brief' : 'digest.log_visit', { name: a.name }), command: `${action} #${a.id}` }));

  section(
    'activities',
    s.activities.map((a) => [`${a.date} · ${a.account.name} · ${label(L, 'activity', a.type as 'visit')}`, a.contacts.length > 0 ? t(L, 'digest.met', { names: joinList(L, a.contacts.map((c) => c.name)) }) : '', a.attendees.length > 0 ? owners(a.attendees) : '', a.summary ?? ''].filter(Boolean).join(' — ')),
    accountButtons(s.activities.map((a) => a.account), 'brief'),
  );
  section('meetings', meetingLines(L, s.meetings, mention));
  section(
    'attitudeChanges',
    s.attitudeChanges.map((c) => {
      const level = (l: Level | null) => (l ? label(L, 'level', l) : t(L, 'digest.unknown'));
      const trend = c.trend === 'down' ? ' ↓' : c.trend === 'up' ? ' ↑' : '';
      return `${labelled(L, `${c.account.name} · ${c.contact.name}`, `${level(c.from)} → ${level(c.to)}`)}${trend}${c.ratedBy ? ` — ${t(L, 'digest.rated_by', { name: mention(c.ratedBy.id), date: c.date })}` : ''}`;
    }),
    s.attitudeChanges.slice(0, MAX_BUTTONS).map((c) => ({ label: t(L, 'action.rate', { name: c.contact.name }), command: `rate #${c.contact.id}` })),
  );
  section(
    'reviewsDue',
    s.reviewsDue.map((r) => [labelled(L, r.account.name, r.kind === 'tier' ? t(L, 'digest.tier_review', { days: r.days }) : t(L, 'digest.plan_review', { contact: r.contact?.name ?? '', days: r.days })), owners(r.owners)].filter(Boolean).join(' — ')),
  );
  section('care', s.care.map((c) => `${c.account.name} · ${c.text}${c.kind === 'holiday' && c.owners.length > 0 ? ` — ${owners(c.owners)}` : ''}`));
  section(
    'overdue',
    s.overdue.map((o) => [`${o.account.name} · ${gapText(L, { code: 'cadence_overdue', rule: o.rule, days: o.days, ...(o.contact && { contactId: o.contact.id }) }, new Map(o.contact ? [[o.contact.id, o.contact]] : []))}`, owners(o.owners)].filter(Boolean).join(' — ')),
    accountButtons(s.overdue.map((o) => o.account), 'visit'),
  );
  section('gaps', s.gaps.map((g) => `${g.account.name} · ${gapText(L, { code: g.code, ...(g.contact && { contactId: g.contact.id }) }, new Map(g.contact ? [[g.contact.id, g.contact]] : []))}`));
  section(
    'openActions',
    s.openActions.map((a) => [`${a.account.name} · ${a.text}`, a.owner ? mention(a.owner.id) : '', a.due ? t(L, 'brief.overdue_since', { date: a.due }) : ''].filter(Boolean).join(' — ')),
    s.openActions.slice(0, MAX_BUTTONS).map((a) => ({ label: t(L, 'action.mark_done', { text: fit(a.text, 30) }), command: `done #${a.id}` })),
  );
  if (blocks.length === 0) blocks.push({ type: 'text', text: t(L, 'digest.nothing'), tone: 'success' });
  const title = t(L, `digest.title.${digest.period.frequency}`, { from: digest.period.from, to: addDays(digest.period.to, -1) });
  return {
    title: part !== undefined && parts !== undefined && parts > 1 ? t(L, 'digest.part', { title, part, parts }) : title,
    blocks,
    visibility: 'shared',
    data: digest,
    mentions: Object.fromEntries([...people].map(([id, p]) => [id, { name: p.name, slackId: p.slackId, teamsId: p.teamsId }])),
  };
}

/** The period that ends today, for a preview: the last week (or day). */
export function periodEnding(today: IsoDate, frequency: DigestPeriod['frequency']): DigestPeriod {
  return { frequency, from: addDays(today, frequency === 'weekly' ? -7 : -1), to: today };
}

