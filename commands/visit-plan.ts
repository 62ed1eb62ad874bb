import * as z from 'zod';
import { cancelPlannedVisit, findPlannedVisit, insertPlannedVisit, listPlannedVisits, movePlannedVisit } from '../src/db/planned-visit.repository.ts';
import { findContactById } from '../src/db/contact.repository.ts';
import type { Args } from '../src/core/args.ts';
import { flag } from '../src/core/args.ts';
import type { Context } from '../src/core/command.ts';
import { confirmFirst } from '../src/core/confirm.ts';
import { AppError, InputError, invalidField } from '../src/core/errors.ts';
import { listValue, resolveField, submitOrReturn, textValue } from '../src/core/forms.ts';
import { planJson, planLine, planViews, type PlanView } from '../src/core/meetings.ts';
import type { Action, Form, FormValues, Reply } from '../src/core/reply.ts';
import { resolveAccount, resolveContact } from '../src/core/resolve.ts';
import { guardAuthor } from '../src/core/role-guard.ts';
import { transact } from '../src/core/transact.ts';
import { freeText, validate } from '../src/core/validate.ts';
import { addDays, isIsoDate } from '../src/domain/dates.ts';
import { isTime, type PlannedVisit } from '../src/domain/meetings.ts';
import type { Contact } from '../src/domain/types.ts';
import { joinList, t } from '../src/i18n/index.ts';

/**
 * Planned visits (issue 18 part 2, the meeting loop): `visit plan`, `visit plans`,
 * `visit move`, `visit cancel`, `visit log` (the visit form prefilled from the plan) and
 * `visit brief` (the account's brief with the planned contacts first). Sub-commands of
 * `visit` (commands/visit.ts); kept here so visit.ts stays about logged visits.
 */

const MAX_CONTACTS = 20;
/** `visit plans` shows plans from this many days back that were never logged, so they can still be. */
const UNLOGGED_DAYS = 7;
const LIST_LIMIT = 50;
const ACTION_ROWS = 5;

const planSchema = z.object({
  account: z.string().min(1),
  date: z.string().refine(isIsoDate, 'validation.date'),
  time: z.string().refine(isTime, 'validation.time').optional(),
  contacts: z.array(z.string()).max(MAX_CONTACTS),
  purpose: freeText(500, { multiline: false }).optional(),
});

const DATE_WORD = /^\d{4}-\d{2}-\d{2}$/;

/** The words after `plan` / `move #id`: `<account words> <YYYY-MM-DD> [HH:MM]`; the account is all before the date. */
function splitWhen(words: readonly string[], usage: string): { before: string[]; date?: string; time?: string } {
  const at = words.findIndex((w) => DATE_WORD.test(w));
  if (at < 0) return { before: [...words] };
  const rest = words.slice(at + 1);
  if (rest.length > 1) throw new AppError('command.usage', { usage });
  return { before: words.slice(0, at), date: words[at], ...(rest[0] !== undefined && { time: rest[0] }) };
}

/** `visit plan <account> <YYYY-MM-DD> [HH:MM] [--with "A; B"] [--purpose TEXT]`: in chat, with anything missing, a form. */
export async function planVisit(ctx: Context, args: Args, usage: string): Promise<Reply> {
  const { before, date, time } = splitWhen(args.positional.slice(1), usage);
  const account = before.length > 0 ? await resolveAccount(ctx, before.join(' ')) : undefined;
  const values: FormValues = {
    ...(account && { account: `#${account.id}` }),
    ...(date && { date }),
    ...(time && { time }),
    ...(flag(args, 'with') && { contacts: listValue(flag(args, 'with')) }),
    ...(flag(args, 'purpose') && { purpose: flag(args, 'purpose') }),
  };
  if (account && date) return submitPlan(ctx, values);
  if (ctx.via === 'cli') throw new AppError('command.usage', { usage });
  return { blocks: [], form: planForm(ctx, values), visibility: 'private' };
}

export function planForm(ctx: Context, values: FormValues): Form {
  const L = ctx.locale;
  return {
    id: 'visit.plan',
    title: t(L, 'visit.plan.title'),
    submitLabel: t(L, 'visit.plan.submit'),
    fields: [
      { id: 'account', kind: 'lookup', source: 'account', multiple: false, label: t(L, 'field.account'), required: true },
      { id: 'date', kind: 'date', label: t(L, 'field.date'), required: true },
      { id: 'time', kind: 'text', label: t(L, 'field.time'), required: false, maxLength: 5, hint: t(L, 'visit.plan.time_hint') },
      { id: 'contacts', kind: 'lookup', source: 'contact', multiple: true, dependsOn: 'account', label: t(L, 'field.contacts'), required: false },
      { id: 'purpose', kind: 'text', label: t(L, 'field.purpose'), required: false, maxLength: 500 },
    ],
    values: { date: ctx.today, ...values },
    errors: {},
    context: {},
  };
}

function checkWhen(ctx: Context, date: string): void {
  // A plan is for today or a day ahead: the past is logged with `visit`, not planned.
  if (date < ctx.today) throw new InputError({ date: invalidField('date', { code: 'validation.past' }) });
}

export async function submitPlan(ctx: Context, values: FormValues): Promise<Reply> {
  const L = ctx.locale;
  return submitOrReturn(ctx, (v) => planForm(ctx, v), values, async () => {
    const input = validate(planSchema, {
      account: textValue(values.account),
      date: textValue(values.date),
      time: textValue(values.time),
      contacts: listValue(values.contacts),
      purpose: textValue(values.purpose),
    });
    const account = await resolveField('account', () => resolveAccount(ctx, input.account));
    const contacts: Contact[] = [];
    for (const name of input.contacts) contacts.push(await resolveField('contacts', () => resolveContact(ctx, name, account.id)));
    checkWhen(ctx, input.date);
    return transact(ctx, 'visit.plan', async (w) => {
      const plan = { accountId: account.id, ownerId: ctx.actor.id, date: input.date, time: input.time ?? null, purpose: input.purpose ?? null, contactIds: contacts.map((c) => c.id), createdBy: ctx.actor.id };
      const id = await insertPlannedVisit(w.trx, plan, ctx.now);
      await w.audit('planned_visit.create', 'planned_visit', id, { account: account.name, date: input.date, time: input.time ?? null, contacts: contacts.length });
      const view: PlanView = { plan: { ...plan, id, status: 'planned', activityId: null }, account, contacts };
      return {
        title: t(L, 'visit.plan.recorded', { account: account.name, when: whenText(view.plan) }),
        blocks: [
          { type: 'fields', fields: planFields(ctx, view) },
          { type: 'text', text: t(L, 'visit.plan.what_next'), tone: 'muted' },
          { type: 'actions', actions: planActions(ctx, view.plan) },
        ],
        visibility: 'private',
        data: { plannedVisit: planJson(view) },
      };
    });
  });
}

function whenText(plan: Pick<PlannedVisit, 'date' | 'time'>): string {
  return plan.time ? `${plan.date} ${plan.time}` : plan.date;
}

function planFields(ctx: Context, v: PlanView) {
  const L = ctx.locale;
  return [
    { label: t(L, 'field.account'), value: v.account.name },
    { label: t(L, 'field.date'), value: whenText(v.plan) },
    { label: t(L, 'field.contacts'), value: joinList(L, v.contacts.map((c) => c.name)) || '—' },
    ...(v.plan.purpose ? [{ label: t(L, 'field.purpose'), value: v.plan.purpose }] : []),
  ];
}

function planActions(ctx: Context, plan: Pick<PlannedVisit, 'id'>): Action[] {
  const L = ctx.locale;
  return [
    { label: t(L, 'meeting.action.brief'), command: `visit brief #${plan.id}` },
    { label: t(L, 'meeting.action.move'), command: `visit move #${plan.id}` },
    { label: t(L, 'meeting.action.cancel'), command: `visit cancel #${plan.id}` },
  ];
}

/** `visit plans`: mine, from today on, and the last week's that were never logged (so they still can be). */
export async function listMyPlans(ctx: Context): Promise<Reply> {
  const L = ctx.locale;
  const plans = await listPlannedVisits(ctx.db, { status: 'planned', ownerId: ctx.actor.id, from: addDays(ctx.today, -UNLOGGED_DAYS) });
  const views = await planViews(ctx.db, plans.slice(0, LIST_LIMIT));
  if (views.length === 0) {
    return { title: t(L, 'visit.plans.title'), blocks: [{ type: 'text', text: t(L, 'visit.plans.none') }], visibility: 'private', data: { plannedVisits: [] } };
  }
  const past = views.filter((v) => v.plan.date < ctx.today);
  const ahead = views.filter((v) => v.plan.date >= ctx.today);
  const reply: Reply = { title: t(L, 'visit.plans.title'), blocks: [], visibility: 'private', data: { plannedVisits: views.map(planJson) } };
  if (ahead.length > 0) reply.blocks.push({ type: 'heading', text: t(L, 'visit.plans.upcoming') }, { type: 'list', items: ahead.map((v) => planLine(L, v)) });
  if (past.length > 0) reply.blocks.push({ type: 'heading', text: t(L, 'visit.plans.unlogged') }, { type: 'list', items: past.map((v) => planLine(L, v)) });
  if (plans.length > LIST_LIMIT) reply.blocks.push({ type: 'text', text: t(L, 'visit.plans.more', { count: plans.length - LIST_LIMIT }), tone: 'muted' });
  // Buttons for the first few: past ones first (they wait to be logged), then the next ones ahead.
  for (const v of [...past, ...ahead].slice(0, ACTION_ROWS)) {
    reply.blocks.push({
      type: 'actions',
      actions: [
        { label: t(L, 'meeting.action.log', { id: v.plan.id }), command: `visit log #${v.plan.id}`, ...(v.plan.date <= ctx.today && { style: 'primary' as const }) },
        { label: t(L, 'meeting.action.move_id', { id: v.plan.id }), command: `visit move #${v.plan.id}` },
        { label: t(L, 'meeting.action.cancel_id', { id: v.plan.id }), command: `visit cancel #${v.plan.id}` },
      ],
    });
  }
  return reply;
}

/** A plan by `#id`, that this actor may change (its owner, or an admin: permissions.ts `mayCorrect`), still planned. */
export async function findOpenPlan(ctx: Context, ref: string | undefined, usage: string): Promise<PlannedVisit> {
  if (ref === undefined || !/^#?\d+$/.test(ref)) throw new AppError('command.usage', { usage });
  const id = Number(ref.replace('#', ''));
  const plan = await findPlannedVisit(ctx.db, id);
  if (!plan) throw new AppError('visit.plan_not_found', { id });
  await guardAuthor(ctx, 'planned_visit', id, t(ctx.locale, 'visit.plan.record', { id }), plan.ownerId);
  if (plan.status !== 'planned') throw new AppError(plan.status === 'logged' ? 'visit.plan_logged' : 'visit.plan_cancelled', { id });
  return plan;
}

/** `visit move #id <YYYY-MM-DD> [HH:MM]`: another day or time (a new brief and prompt follow); in chat without a date, a form. */
export async function moveVisit(ctx: Context, args: Args, usage: string): Promise<Reply> {
  const [, ref, ...rest] = args.positional;
  const plan = await findOpenPlan(ctx, ref, usage);
  const { before, date, time } = splitWhen(rest, usage);
  if (before.length > 0) throw new AppError('command.usage', { usage });
  const values: FormValues = { date: date ?? plan.date, time: date ? time : (plan.time ?? undefined) };
  if (date) return submitMove(ctx, plan.id, values);
  if (ctx.via === 'cli') throw new AppError('command.usage', { usage });
  return { blocks: [], form: moveForm(ctx, plan.id, values), visibility: 'private' };
}

export function moveForm(ctx: Context, id: number, values: FormValues): Form {
  const L = ctx.locale;
  return {
    id: 'visit.move',
    title: t(L, 'visit.move.title', { id }),
    submitLabel: t(L, 'visit.move.submit'),
    fields: [
      { id: 'date', kind: 'date', label: t(L, 'field.date'), required: true },
      { id: 'time', kind: 'text', label: t(L, 'field.time'), required: false, maxLength: 5, hint: t(L, 'visit.plan.time_hint') },
    ],
    values,
    errors: {},
    context: { plan: String(id) },
  };
}

const moveSchema = z.object({ date: z.string().refine(isIsoDate, 'validation.date'), time: z.string().refine(isTime, 'validation.time').optional() });

export async function submitMove(ctx: Context, id: number, values: FormValues): Promise<Reply> {
  const L = ctx.locale;
  return submitOrReturn(ctx, (v) => moveForm(ctx, id, v), values, async () => {
    const plan = await findOpenPlan(ctx, `#${id}`, '');
    const input = validate(moveSchema, { date: textValue(values.date), time: textValue(values.time) });
    checkWhen(ctx, input.date);
    return transact(ctx, 'visit.move', async (w) => {
      if (!(await movePlannedVisit(w.trx, id, input.date, input.time ?? null, ctx.now))) throw new AppError('visit.plan_not_found', { id });
      const [view] = await planViews(w.trx, [{ ...plan, date: input.date, time: input.time ?? null }]);
      await w.audit('planned_visit.move', 'planned_visit', id, { account: view!.account.name, date: input.date, time: input.time ?? null, from: plan.date });
      return {
        title: t(L, 'visit.move.done', { account: view!.account.name, when: whenText(view!.plan) }),
        blocks: [{ type: 'fields', fields: planFields(ctx, view!) }, { type: 'actions', actions: planActions(ctx, view!.plan) }],
        visibility: 'private',
        data: { plannedVisit: planJson(view!) },
      };
    });
  });
}

/** `visit cancel #id`: asks first (the CLI takes `--yes`); the plan stays on record as cancelled, and nothing more is sent for it. */
export async function cancelVisit(ctx: Context, args: Args, usage: string): Promise<Reply> {
  const L = ctx.locale;
  const [, ref, ...rest] = args.positional;
  if (rest.length > 0) throw new AppError('command.usage', { usage });
  const plan = await findOpenPlan(ctx, ref, usage);
  const [view] = await planViews(ctx.db, [plan]);
  const what = t(L, 'visit.cancel.what', { plan: planLine(L, view!) });
  const ask = confirmFirst(ctx, args, what, `visit cancel #${plan.id}`);
  if (ask) return ask;
  return transact(ctx, 'visit.cancel', async (w) => {
    if (!(await cancelPlannedVisit(w.trx, plan.id, ctx.now))) throw new AppError('visit.plan_cancelled', { id: plan.id });
    await w.audit('planned_visit.cancel', 'planned_visit', plan.id, { account: view!.account.name, date: plan.date });
    return {
      blocks: [
        { type: 'text', text: t(L, 'visit.cancel.done', { what }), tone: 'success' },
        { type: 'actions', actions: [{ label: t(L, 'visit.cancel.plan_again'), command: `visit plan #${plan.accountId}` }] },
      ],
      visibility: 'private',
      data: { cancelled: { plannedVisit: plan.id } },
    };
  });
}

/**
 * `visit log #id`: the visit form prefilled from the plan (account, contacts, day,
 * the owner as attendee, the purpose and the start of the summary); saving it logs the
 * visit and marks the plan logged, once.
 */
export async function logPlanValues(ctx: Context, args: Args, usage: string): Promise<{ values: FormValues; plan: PlannedVisit }> {
  const [, ref, ...rest] = args.positional;
  if (rest.length > 0) throw new AppError('command.usage', { usage });
  const plan = await findOpenPlan(ctx, ref, usage);
  const contacts: Contact[] = [];
  for (const id of plan.contactIds) {
    const c = await findContactById(ctx.db, id);
    if (c) contacts.push(c);
  }
  const values: FormValues = {
    account: `#${plan.accountId}`,
    // A plan logged early (the meeting was brought forward) is logged today: a visit is never in the future.
    date: plan.date > ctx.today ? ctx.today : plan.date,
    type: 'visit',
    contacts: contacts.map((c) => `#${c.id}`),
    attendees: [`#${plan.ownerId}`],
    ...(plan.purpose && { purpose: plan.purpose, summary: `${plan.purpose}: ` }),
  };
  return { values, plan };
}

/** The planned contacts, for `visit brief #id`. */
export async function planForBrief(ctx: Context, args: Args, usage: string): Promise<PlanView> {
  const [, ref, ...rest] = args.positional;
  if (rest.length > 0 || ref === undefined || !/^#?\d+$/.test(ref)) throw new AppError('command.usage', { usage });
  const id = Number(ref.replace('#', ''));
  const plan = await findPlannedVisit(ctx.db, id);
  if (!plan) throw new AppError('visit.plan_not_found', { id });
  await guardAuthor(ctx, 'planned_visit', id, t(ctx.locale, 'visit.plan.record', { id }), plan.ownerId);
  const [view] = await planViews(ctx.db, [plan]);
  return view!;
}
