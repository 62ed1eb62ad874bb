import * as z from 'zod';
import { findActivityById, insertActivity, updateActivity, type NewActivity } from '../src/db/activity.repository.ts';
import { readState } from '../src/db/undo.repository.ts';
import type { Contact, Person } from '../src/domain/types.ts';
import { arg, flag, type Args } from '../src/core/args.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { AppError, InputError, invalidField, UsageError } from '../src/core/errors.ts';
import { listValue, options, resolveField, rowsValue, submitOrReturn, textValue } from '../src/core/forms.ts';
import type { Form, FormValues, InputField, Reply } from '../src/core/reply.ts';
import { confirmFirst, recordRef } from '../src/core/confirm.ts';
import { matchId, resolveAccount, resolveContact, resolvePerson } from '../src/core/resolve.ts';
import { freeText, validate } from '../src/core/validate.ts';
import { guardAuthor } from '../src/core/role-guard.ts';
import { transact } from '../src/core/transact.ts';
import { deleteWithUndo, offerUndo } from '../src/core/undo.ts';
import type { Activity } from '../src/domain/types.ts';
import { isIsoDate } from '../src/domain/dates.ts';
import { ACTIVITY_TYPE_IDS, STAGES } from '../src/domain/model.ts';
import { label, t } from '../src/i18n/index.ts';
import { markPlanLogged } from '../src/db/planned-visit.repository.ts';
import { cancelVisit, listMyPlans, logPlanValues, moveForm, moveVisit, planForBrief, planForm, planVisit, submitMove, submitPlan } from './visit-plan.ts';
import { briefWithPicture } from './brief.ts';

const MAX_NEXT_STEPS = 10;
const QUICK_FLAGS = ['with', 'type', 'date', 'summary', 'purpose', 'stage', 'next', 'attendees', 'needs', 'objections'];

const date = z.string().refine(isIsoDate, 'validation.date');
const schema = z.object({
  account: z.string().min(1),
  date,
  type: z.enum(ACTIVITY_TYPE_IDS),
  stage: z.enum(STAGES).optional(),
  contacts: z.array(z.string()).max(50),
  attendees: z.array(z.string()).max(50),
  purpose: freeText(500, { multiline: false }).optional(),
  summary: freeText(3000, { multiline: true }).optional(),
  needs: freeText(3000, { multiline: true }).optional(),
  objections: freeText(3000, { multiline: true }).optional(),
  next_steps: z.array(z.object({ text: freeText(500, { multiline: false, required: true }), owner: z.string().optional(), due: date.optional() })).max(MAX_NEXT_STEPS),
});

/**
 * `visit [account]`: record a customer touch (§5) with the contacts met, our
 * attendees and next steps. Opens the form; `visit help` shows the one-line form.
 */
export const visit = defineCommand({
  name: 'visit',
  slash: true,
  usage:
    'visit [account] [--with "A; B"] [--type visit] [--date YYYY-MM-DD] [--summary "…"] [--next "text; owner; YYYY-MM-DD"] | visit edit|delete #id | visit plan <account> <YYYY-MM-DD> [HH:MM] [--with "A; B"] [--purpose "…"] | visit plans | visit move #id <YYYY-MM-DD> [HH:MM] | visit cancel|log|brief #id',
  summary: 'cmd.visit.summary',
  examples: ['visit Acme', 'visit Acme --with "Tom Baker; Priya Nair" --summary "Pricing review" --next "Send quote; alice@example.com; 2026-12-01"', 'visit plans'],
  grammar: {
    subject: { name: 'account' },
    // `visit edit #12` takes the one-line flags too; `visit delete #12` asks first, unless --yes.
    subs: {
      help: {},
      edit: { subject: { name: 'id', required: true } },
      delete: { subject: { name: 'id', required: true }, flags: { yes: arg.boolean() } },
      // The meeting loop (issue 18 part 2): planned visits, in commands/visit-plan.ts.
      plan: { subject: { name: 'account', then: [{ name: 'date', spec: arg.date(), required: true }, { name: 'time', spec: arg.text('HH:MM') }] } },
      plans: {},
      move: { subject: { name: 'id', required: true, then: [{ name: 'date', spec: arg.date(), required: true }, { name: 'time', spec: arg.text('HH:MM') }] } },
      cancel: { subject: { name: 'id', required: true }, flags: { yes: arg.boolean() } },
      log: { subject: { name: 'id', required: true } },
      brief: { subject: { name: 'id', required: true } },
    },
    subOptional: true,
    flags: {
      with: arg.list(), attendees: arg.list('"EMAIL; EMAIL"'), type: arg.choice(ACTIVITY_TYPE_IDS, 'activity'), date: arg.date(), stage: arg.choice(STAGES, 'stage'),
      summary: arg.text(), purpose: arg.text(), needs: arg.text(), objections: arg.text(), next: arg.text('"text; owner; YYYY-MM-DD"', { repeat: true }),
    },
  },
  run: async (ctx, args) => {
    if (args.sub === 'help') return help(ctx);
    if (args.sub === 'plan') return planVisit(ctx, args, visit.usage);
    if (args.sub === 'plans') return listMyPlans(ctx);
    if (args.sub === 'move') return moveVisit(ctx, args, visit.usage);
    if (args.sub === 'cancel') return cancelVisit(ctx, args, visit.usage);
    if (args.sub === 'brief') {
      const v = await planForBrief(ctx, args, visit.usage);
      return briefWithPicture(ctx, await resolveAccount(ctx, `#${v.account.id}`), undefined, undefined, v);
    }
    if (args.sub === 'log') {
      const { values, plan } = await logPlanValues(ctx, args, visit.usage);
      return { blocks: [], form: visitForm(ctx, values, undefined, plan.id), visibility: 'private' };
    }
    const correction = recordRef(args.positional, visit.usage);
    if (correction && correction.rest.length > 0) throw new AppError('command.usage', { usage: visit.usage });
    if (correction) return correction.verb === 'edit' ? editVisit(ctx, correction.id, args) : deleteVisit(ctx, correction.id, args);
    // The one-line form records at once, so it must say something: who was met or what was said.
    const quick = QUICK_FLAGS.some((f) => f in args.flags);
    if (quick && !flag(args, 'with') && !flag(args, 'summary')) throw new UsageError({ code: 'usage.nothing_to_record', flags: ['with', 'summary'] }, 'visit');
    const account = args.positional.length > 0 ? await resolveAccount(ctx, args.positional.join(' ')) : undefined;
    const values: FormValues = { account: account ? `#${account.id}` : undefined, ...quickValues(args) };
    if (quick) return submit(ctx, values);
    return { blocks: [], form: visitForm(ctx, { date: ctx.today, type: 'visit', attendees: [`#${ctx.actor.id}`], ...values }), visibility: 'private' };
  },
  forms: {
    visit: {
      // An edit form carries the visit's id (issue 15: the edit form is the create form prefilled).
      submit: (ctx, values, context) => submit(ctx, values, context.activity ? Number(context.activity) : undefined, context.plan ? Number(context.plan) : undefined),
      form: (ctx, values, context) => visitForm(ctx, values, context.activity ? Number(context.activity) : undefined, context.plan ? Number(context.plan) : undefined),
    },
    'visit.plan': { submit: (ctx, values) => submitPlan(ctx, values), form: (ctx, values) => planForm(ctx, values) },
    'visit.move': { submit: (ctx, values, context) => submitMove(ctx, Number(context.plan), values), form: (ctx, values, context) => moveForm(ctx, Number(context.plan), values) },
  },
});

async function findVisit(ctx: Context, id: number): Promise<Activity> {
  const activity = await findActivityById(ctx.db, id);
  if (!activity) throw new AppError('visit.not_found', { id });
  await guardAuthor(ctx, 'activity', id, t(ctx.locale, 'visit.record', { id }), activity.createdBy);
  return activity;
}

/** `visit edit #12`: the visit form prefilled (without next steps: `step edit` corrects those); with flags, saved at once. */
async function editVisit(ctx: Context, id: number, args: Args): Promise<Reply> {
  const a = await findVisit(ctx, id);
  const values: FormValues = {
    account: `#${a.accountId}`,
    date: a.date,
    type: a.type,
    ...(a.stage && { stage: a.stage }),
    contacts: a.contactIds.map((c) => `#${c}`),
    attendees: a.attendeeIds.map((p) => `#${p}`),
    ...(a.purpose && { purpose: a.purpose }),
    ...(a.summary && { summary: a.summary }),
    ...(a.needs && { needs: a.needs }),
    ...(a.objections && { objections: a.objections }),
    ...quickValues(args),
  };
  delete values.next_steps;
  if (QUICK_FLAGS.some((f) => f in args.flags)) return submit(ctx, values, id);
  return { blocks: [], form: visitForm(ctx, values, id), visibility: 'private' };
}

/** `visit delete #12`: asks first; the visit, who took part and its next steps go (Undo brings them back). */
async function deleteVisit(ctx: Context, id: number, args: Args): Promise<Reply> {
  const L = ctx.locale;
  const a = await findVisit(ctx, id);
  const account = await resolveAccount(ctx, `#${a.accountId}`);
  const what = t(L, 'visit.delete_what', { id, type: label(L, 'activity', a.type), account: account.name, date: a.date });
  const ask = confirmFirst(ctx, args, what, `visit delete #${id}`);
  if (ask) return ask;
  return transact(ctx, 'visit', async (w) => {
    const undo = await deleteWithUndo(ctx, w, 'activity', id, { account: account.id, date: a.date, type: a.type }, () => new AppError('visit.not_found', { id }));
    return {
      blocks: [{ type: 'text', text: t(L, 'visit.deleted', { what }), tone: 'success' }, undo.text, { type: 'actions', actions: [undo.action, { label: t(L, 'action.brief'), command: `brief #${account.id}` }] }],
      visibility: 'private',
      data: { deleted: { activity: id }, undo: undo.token },
    };
  });
}

/** The one-line form's flags → the form's values. */
function quickValues(args: Args): FormValues {
  const values: FormValues = {};
  for (const field of ['type', 'date', 'summary', 'purpose', 'stage', 'needs', 'objections']) {
    const v = flag(args, field);
    if (v !== undefined) values[field] = v;
  }
  if (flag(args, 'with')) values.contacts = listValue(flag(args, 'with'));
  if (flag(args, 'attendees')) values.attendees = listValue(flag(args, 'attendees'));
  values.next_steps = (args.all.next ?? []).map((line) => {
    const [text = '', owner = '', due = ''] = line.split(/[;；|]/).map((s) => s.trim());
    return { text, owner, due };
  });
  return values;
}

/** The visit form; `editing` a logged visit's id, or `plan` the planned visit it logs (the meeting loop). */
export function visitForm(ctx: Context, values: FormValues, editing?: number, plan?: number): Form {
  const L = ctx.locale;
  const form: Form = {
    id: 'visit',
    title: editing ? t(L, 'visit.edit_title', { id: editing }) : t(L, 'visit.title'),
    submitLabel: t(L, 'visit.submit'),
    fields: [
      { id: 'account', kind: 'lookup', source: 'account', multiple: false, label: t(L, 'field.account'), required: true },
      { id: 'date', kind: 'date', label: t(L, 'field.date'), required: true },
      { id: 'type', kind: 'choice', label: t(L, 'field.type'), required: true, options: options(L, 'activity', ACTIVITY_TYPE_IDS) },
      { id: 'contacts', kind: 'lookup', source: 'contact', multiple: true, dependsOn: 'account', label: t(L, 'field.contacts'), required: false },
      { id: 'attendees', kind: 'lookup', source: 'person', multiple: true, label: t(L, 'field.attendees'), required: false },
      { id: 'stage', kind: 'choice', label: t(L, 'field.stage'), required: false, options: options(L, 'stage', STAGES) },
      { id: 'purpose', kind: 'text', label: t(L, 'field.purpose'), required: false, maxLength: 500 },
      { id: 'summary', kind: 'longtext', label: t(L, 'field.summary'), required: false, maxLength: 3000 },
      { id: 'needs', kind: 'longtext', label: t(L, 'field.needs'), required: false, maxLength: 3000 },
      { id: 'objections', kind: 'longtext', label: t(L, 'field.objections'), required: false, maxLength: 3000 },
      {
        id: 'next_steps',
        kind: 'rows',
        label: t(L, 'field.next_steps'),
        required: false,
        addLabel: t(L, 'visit.add_next_step'),
        maxRows: MAX_NEXT_STEPS,
        fields: nextStepFields(L),
      },
    ],
    values,
    errors: {},
    context: editing ? { activity: String(editing) } : plan ? { plan: String(plan) } : {},
  };
  if (editing) form.fields = form.fields.filter((f) => f.id !== 'next_steps');
  return form;
}

async function submit(ctx: Context, values: FormValues, editing?: number, plan?: number): Promise<Reply> {
  const L = ctx.locale;
  return submitOrReturn(ctx, (v) => visitForm(ctx, v, editing, plan), values, async () => {
    // The visit being corrected, and may this actor (checked again: a form can be replayed by anyone).
    const original = editing ? await findVisit(ctx, editing) : undefined;
    const input = validate(
      schema,
      {
        account: textValue(values.account),
        date: textValue(values.date) ?? ctx.today,
        type: matchId('activity', ACTIVITY_TYPE_IDS, textValue(values.type) ?? 'visit') ?? textValue(values.type),
        stage: textValue(values.stage) && (matchId('stage', STAGES, textValue(values.stage)!) ?? textValue(values.stage)),
        contacts: listValue(values.contacts),
        attendees: listValue(values.attendees),
        purpose: textValue(values.purpose),
        summary: textValue(values.summary),
        needs: textValue(values.needs),
        objections: textValue(values.objections),
        next_steps: rowsValue(values.next_steps)
          .filter((r) => Object.values(r).some((v) => v && v.trim()))
          .map((r) => ({ text: textValue(r.text) ?? '', owner: textValue(r.owner), due: textValue(r.due) })),
      },
    );
    const account = await resolveField('account', () => resolveAccount(ctx, input.account));
    const contacts: Contact[] = [];
    for (const name of input.contacts) contacts.push(await resolveField('contacts', () => resolveContact(ctx, name, account.id)));
    const attendees: Person[] = [];
    for (const ref of input.attendees.length > 0 ? input.attendees : [`#${ctx.actor.id}`]) attendees.push(await resolveField('attendees', () => resolvePerson(ctx, ref)));
    const nextSteps: NewActivity['nextSteps'] = [];
    const stepLines: string[] = [];
    for (const [i, step] of (original ? [] : input.next_steps).entries()) {
      const owner = step.owner ? await resolveField(`next_steps.${i}.owner`, () => resolvePerson(ctx, step.owner!)) : ctx.actor;
      nextSteps.push({ text: step.text, ownerId: owner.id, dueOn: step.due ?? null });
      stepLines.push([step.text, owner.name, step.due].filter(Boolean).join(' — '));
    }
    if (input.date > ctx.today) throw new InputError({ date: invalidField('date', { code: 'validation.future' }) });
    // A visit that names no one and says nothing would still count as a touch (§5): refused.
    if (input.contacts.length === 0 && !input.summary) throw new InputError({ contacts: invalidField('contacts', { code: 'visit.nothing' }) });

    const said = {
      accountId: account.id,
      date: input.date,
      type: input.type,
      stage: input.stage ?? null,
      contactIds: contacts.map((c) => c.id),
      attendeeIds: attendees.map((p) => p.id),
      purpose: input.purpose ?? null,
      summary: input.summary ?? null,
      needs: input.needs ?? null,
      objections: input.objections ?? null,
    };
    if (original) {
      const id = original.id;
      return transact(ctx, 'visit', async (w) => {
        const before = await readState(w.trx, 'activity', id);
        if (before === null) throw new AppError('visit.not_found', { id });
        await updateActivity(w.trx, id, said);
        await w.audit('activity.update', 'activity', id, { account: account.id, date: input.date, type: input.type });
        const undo = await offerUndo(ctx, w, 'activity.update', 'activity', id, before);
        return {
          title: t(L, 'visit.updated', { id, type: label(L, 'activity', input.type), account: account.name }),
          blocks: [
            { type: 'fields', fields: visitFields(L, input.date, contacts, attendees) },
            ...(input.summary ? [{ type: 'text' as const, text: input.summary }] : []),
            undo.text,
            { type: 'actions', actions: [undo.action, { label: t(L, 'action.edit'), command: `visit edit #${id}` }, { label: t(L, 'action.brief'), command: `brief #${account.id}` }] },
          ],
          visibility: 'private',
          data: { activity: { id, account: { id: account.id, name: account.name }, date: input.date, type: input.type, contacts: contacts.map((c) => ({ id: c.id, name: c.name })) }, undo: undo.token },
        };
      });
    }

    return transact(ctx, 'visit', async (w) => {
      const { id } = await insertActivity(
        w.trx,
        { ...said, createdBy: ctx.actor.id, nextSteps },
        ctx.now,
      );
      await w.audit('activity.create', 'activity', id, { account: account.name, type: input.type, date: input.date, contacts: contacts.length, nextSteps: nextSteps.length });
      if (plan !== undefined) {
        // Logged from a planned visit: the plan is marked in the same transaction, so a second
        // submit (without a submission key to replay) fails here and writes no second visit.
        if (!(await markPlanLogged(w.trx, plan, id, ctx.now))) throw new AppError('visit.plan_logged', { id: plan });
        await w.audit('planned_visit.log', 'planned_visit', plan, { account: account.name, date: input.date });
      }
      const undo = await offerUndo(ctx, w, 'activity.create', 'activity', id, null);
      return {
        title: t(L, 'visit.recorded', { type: label(L, 'activity', input.type), account: account.name }),
        blocks: [
          { type: 'fields', fields: visitFields(L, input.date, contacts, attendees) },
          ...(input.summary ? [{ type: 'text' as const, text: input.summary }] : []),
          ...(nextSteps.length > 0
            ? [{ type: 'list' as const, items: stepLines }]
            : []),
          undo.text,
          {
            type: 'actions',
            actions: [undo.action, { label: t(L, 'action.edit'), command: `visit edit #${id}` }, { label: t(L, 'action.delete'), command: `visit delete #${id}` }, { label: t(L, 'action.brief'), command: `brief #${account.id}` }],
          },
        ],
        visibility: 'private',
        data: { activity: { id, account: { id: account.id, name: account.name }, date: input.date, type: input.type, contacts: contacts.map((c) => ({ id: c.id, name: c.name })), nextSteps: nextSteps.length }, undo: undo.token },
      };
    });
  });
}

/** A next step's fields: a row of the visit form, and the whole `step edit` form. */
export function nextStepFields(L: Context['locale']): InputField[] {
  return [
    { id: 'text', kind: 'text', label: t(L, 'field.text'), required: true, maxLength: 500 },
    { id: 'owner', kind: 'lookup', source: 'person', multiple: false, label: t(L, 'field.owner'), required: false },
    { id: 'due', kind: 'date', label: t(L, 'field.due'), required: false },
  ];
}

function visitFields(L: Context['locale'], date: string, contacts: Contact[], attendees: Person[]) {
  return [
    { label: t(L, 'field.date'), value: date },
    { label: t(L, 'field.contacts'), value: contacts.map((c) => c.name).join(', ') || '—' },
    { label: t(L, 'field.attendees'), value: attendees.map((p) => p.name).join(', ') },
  ];
}

function help(ctx: Context): Reply {
  const L = ctx.locale;
  return {
    title: t(L, 'visit.help.title'),
    blocks: [
      { type: 'text', text: t(L, 'visit.help.text') },
      { type: 'list', items: visit.examples },
      { type: 'text', text: t(L, 'visit.help.types', { types: ACTIVITY_TYPE_IDS.join(', ') }), tone: 'muted' },
    ],
    visibility: 'private',
  };
}
