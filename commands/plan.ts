import * as z from 'zod';
import { findAccountById } from '../src/db/account.repository.ts';
import { listContactsOfAccount } from '../src/db/contact.repository.ts';
import { findPeopleByIds } from '../src/db/person.repository.ts';
import { insertPlan, listOpenPlans } from '../src/db/plan.repository.ts';
import { listRatingsForAttitude } from '../src/db/rating.repository.ts';
import { arg, flag } from '../src/core/args.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { AppError, NameError } from '../src/core/errors.ts';
import { attitudeText, personName, ref } from '../src/core/format.ts';
import { personIds, submitOrReturn, textValue, options } from '../src/core/forms.ts';
import type { Form, FormValues, Reply } from '../src/core/reply.ts';
import { matchLevel, resolveAccount, resolveContact } from '../src/core/resolve.ts';
import { transact } from '../src/core/transact.ts';
import { freeText, validate } from '../src/core/validate.ts';
import { attitudeWithTrend } from '../src/domain/attitude.ts';
import { isIsoDate } from '../src/domain/dates.ts';
import { LEVELS } from '../src/domain/model.ts';
import { defaultGoalDate, nextReviewOn, planStatus } from '../src/domain/plans.ts';
import type { Contact } from '../src/domain/types.ts';
import { joinList, label, t } from '../src/i18n/index.ts';

const CYCLES: Record<string, number> = { bimonthly: 60, quarterly: 90 };
const schema = z.object({
  goal: z.enum(LEVELS),
  by: z.string().refine(isIsoDate, 'validation.date'),
  owner: z.string().optional(),
  sponsor: z.string().optional(),
  commitment: freeText(2000, { multiline: true }).optional(),
  cycle: z.coerce.number().int().min(7).max(365),
});

/** `plan add|show`: key relationship plans (§6). */
export const plan = defineCommand({
  name: 'plan',
  usage: 'plan add <contact> [--goal LEVEL] [--by YYYY-MM-DD] [--owner EMAIL] [--sponsor EMAIL] [--commitment "…"] [--cycle bimonthly|quarterly|DAYS] | plan show <account or contact>',
  grammar: {
    subs: {
      add: {
        subject: { name: 'contact', required: true, picker: 'contact' },
        flags: { account: arg.text('A'), goal: arg.level(), by: arg.date(), owner: arg.text('EMAIL'), sponsor: arg.text('EMAIL'), commitment: arg.text(), cycle: arg.text('bimonthly|quarterly|DAYS') },
      },
      show: { subject: { name: 'account_or_contact', required: true } },
    },
  },
  summary: 'cmd.plan.summary',
  examples: ['plan add "Tom Baker" --goal coach --by 2027-05-31 --owner bob@example.com --commitment "Reference visit to our Shenzhen lab"', 'plan show Acme'],
  run: async (ctx, args) => {
    const [sub, ...rest] = args.positional;
    const query = rest.join(' ');
    if (sub === 'show') return show(ctx, query);
    if (sub !== 'add') throw new AppError('command.usage', { usage: plan.usage });
    const account = flag(args, 'account') ? await resolveAccount(ctx, flag(args, 'account')!) : undefined;
    const contact = await resolveContact(ctx, query, account?.id);
    const values: FormValues = { goal: 'supportive', by: defaultGoalDate(ctx.today, ctx.rules), owner: `#${ctx.actor.id}`, cycle: String(ctx.rules.planReviewCycleDays) };
    for (const f of ['goal', 'by', 'owner', 'sponsor', 'commitment', 'cycle']) if (flag(args, f)) values[f] = flag(args, f);
    if (['goal', 'by', 'commitment'].some((f) => flag(args, f))) return submit(ctx, contact, values);
    return { blocks: [], form: planForm(ctx, contact, values), visibility: 'private' };
  },
  forms: { plan: { submit: async (ctx, values, context) => submit(ctx, await resolveContact(ctx, `#${context.contact}`), values) } },
});

function planForm(ctx: Context, contact: Contact, values: FormValues): Form {
  const L = ctx.locale;
  return {
    id: 'plan',
    title: t(L, 'plan.title', { name: contact.name }),
    submitLabel: t(L, 'form.save'),
    fields: [
      { id: 'goal', kind: 'choice', label: t(L, 'field.goal'), required: true, options: options(L, 'level', LEVELS) },
      { id: 'by', kind: 'date', label: t(L, 'field.by'), required: true },
      { id: 'owner', kind: 'lookup', source: 'person', multiple: false, label: t(L, 'field.owner'), required: false },
      { id: 'sponsor', kind: 'lookup', source: 'person', multiple: false, label: t(L, 'field.sponsor'), required: false },
      { id: 'commitment', kind: 'longtext', label: t(L, 'field.commitment'), required: false, maxLength: 2000 },
      { id: 'cycle', kind: 'choice', label: t(L, 'field.cycle'), required: true, options: [{ value: '60', label: t(L, 'plan.bimonthly') }, { value: '90', label: t(L, 'plan.quarterly') }] },
    ],
    values,
    errors: {},
    context: { contact: String(contact.id) },
  };
}

async function submit(ctx: Context, contact: Contact, values: FormValues): Promise<Reply> {
  const L = ctx.locale;
  return submitOrReturn(ctx, (v) => planForm(ctx, contact, v), values, async () => {
    const cycle = textValue(values.cycle);
    const input = validate(
      schema,
      {
        goal: textValue(values.goal) && (matchLevel(textValue(values.goal)!) ?? textValue(values.goal)),
        by: textValue(values.by),
        owner: textValue(values.owner),
        sponsor: textValue(values.sponsor),
        commitment: textValue(values.commitment),
        cycle: cycle && (CYCLES[cycle.toLowerCase()] ?? cycle),
      },
    );
    const people = await personIds(ctx, input, ['owner', 'sponsor'] as const);
    return transact(ctx, 'plan', async (w) => {
      const id = await insertPlan(
        w.trx,
        { contactId: contact.id, goalLevel: input.goal, goalDate: input.by, ownerId: people.owner ?? ctx.actor.id, sponsorId: people.sponsor ?? null, commitment: input.commitment ?? null, cycleDays: input.cycle, startDate: ctx.today, createdBy: ctx.actor.id },
        ctx.now,
      );
      await w.audit('plan.create', 'plan', id, { contact: contact.name, goal: input.goal, by: input.by });
      return {
        blocks: [{ type: 'text', text: t(L, 'plan.created', { name: contact.name, goal: label(L, 'level', input.goal), date: input.by }), tone: 'success' }],
        visibility: 'private',
        data: { plan: { id, contact: ref(contact), goal: input.goal, by: input.by, cycleDays: input.cycle } },
      };
    });
  });
}

/** Plans of one contact, or of every contact of an account, with their §6 status. */
async function show(ctx: Context, query: string): Promise<Reply> {
  const L = ctx.locale;
  let contacts: Contact[];
  try {
    contacts = await listContactsOfAccount(ctx.db, (await resolveAccount(ctx, query)).id);
  } catch (error) {
    if (!(error instanceof NameError)) throw error;
    contacts = [await resolveContact(ctx, query).catch(() => Promise.reject(error))];
  }
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const plans = await listOpenPlans(ctx.db, contacts.map((c) => c.id));
  const ratings = await listRatingsForAttitude(ctx.db, [...new Set(plans.map((p) => p.contactId))], ctx.today, ctx.rules.attitudeWindowDays, ctx.rules.trendLookbackDays);
  const people = await findPeopleByIds(ctx.db, plans.map((p) => p.ownerId).filter((id): id is number => id !== null));
  const rows = plans.map((p) => {
    const attitude = attitudeWithTrend(ratings.filter((r) => r.contactId === p.contactId), ctx.today, ctx.rules);
    return { plan: p, attitude, status: planStatus(p, attitude.current?.level ?? null, ctx.today, ctx.rules) };
  });
  const account = contacts[0] ? await findAccountById(ctx.db, contacts[0].accountId) : undefined;
  return {
    title: t(L, 'plan.list_title', { name: account?.name ?? query }),
    blocks:
      rows.length === 0
        ? [{ type: 'text', text: t(L, 'plan.none') }]
        : [
            {
              type: 'table',
              columns: [t(L, 'field.name'), t(L, 'field.attitude'), t(L, 'field.goal'), t(L, 'field.owner'), t(L, 'plan.next_review'), t(L, 'plan.status')],
              rows: rows.map(({ plan: p, attitude, status }) => [
                byId.get(p.contactId)!.name,
                attitudeText(L, attitude),
                `${label(L, 'level', p.goalLevel)} · ${p.goalDate}`,
                personName(people, p.ownerId) ?? '—',
                nextReviewOn(p),
                joinList(L, [status.reviewDue ? t(L, 'plan.review_due') : '', status.atRisk ? t(L, 'plan.at_risk') : ''].filter(Boolean)) || t(L, 'plan.on_track'),
              ]),
              optional: [3],
            },
          ],
    visibility: 'private',
    data: {
      plans: rows.map(({ plan: p, attitude, status }) => ({
        id: p.id, contact: ref(byId.get(p.contactId)!), goal: p.goalLevel, by: p.goalDate, level: attitude.current?.level ?? null,
        lastReview: p.lastReviewOn, nextReview: nextReviewOn(p), reviewDue: status.reviewDue, atRisk: status.atRisk,
      })),
    },
  };
}
