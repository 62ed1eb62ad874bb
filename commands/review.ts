import { listOpenPlans, insertPlanReview } from '../src/db/plan.repository.ts';
import { listRatingsForAttitude } from '../src/db/rating.repository.ts';
import { arg, flag } from '../src/core/args.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { AppError, InputError, invalidField } from '../src/core/errors.ts';
import { attitudeText, ref } from '../src/core/format.ts';
import { submitOrReturn, textValue } from '../src/core/forms.ts';
import type { Form, FormValue, FormValues, Reply } from '../src/core/reply.ts';
import { resolveAccount, resolveContact } from '../src/core/resolve.ts';
import { transact } from '../src/core/transact.ts';
import { attitudeWithTrend, roundScore } from '../src/domain/attitude.ts';
import { cleanText } from '../src/domain/text.ts';
import type { Contact, Plan } from '../src/domain/types.ts';
import { t } from '../src/i18n/index.ts';

/** `review <contact>`: review a key relationship plan (§6); the attitude is computed, not typed. */
export const review = defineCommand({
  name: 'review',
  usage: 'review <contact> [--progress "…"] [--gap "…"] [--next "…"]',
  grammar: { subject: { name: 'contact', required: true, picker: 'contact' }, flags: { account: arg.text('A'), progress: arg.text(), gap: arg.text(), next: arg.text() } },
  summary: 'cmd.review.summary',
  examples: ['review "Margaret Lee" --progress "Attended our summit" --gap "Still neutral on pricing" --next "Invite to the lab visit"'],
  run: async (ctx, args) => {
    const account = flag(args, 'account') ? await resolveAccount(ctx, flag(args, 'account')!) : undefined;
    const contact = await resolveContact(ctx, args.positional.join(' '), account?.id);
    const plan = await openPlan(ctx, contact);
    const values: FormValues = { progress: flag(args, 'progress'), gap: flag(args, 'gap'), next_actions: flag(args, 'next') };
    if (Object.values(values).some((v) => v !== undefined)) return submit(ctx, contact, plan, values);
    return { blocks: [], form: reviewForm(ctx, contact, plan, values), visibility: 'private' };
  },
  forms: {
    review: {
      submit: async (ctx, values, context) => {
        const contact = await resolveContact(ctx, `#${context.contact}`);
        return submit(ctx, contact, await openPlan(ctx, contact), values);
      },
    },
  },
});

async function openPlan(ctx: Context, contact: Contact): Promise<Plan> {
  const plans = await listOpenPlans(ctx.db, [contact.id]);
  if (plans.length === 0) throw new AppError('plan.none', { name: contact.name });
  return plans[plans.length - 1]!;
}

function reviewForm(ctx: Context, contact: Contact, plan: Plan, values: FormValues): Form {
  const L = ctx.locale;
  return {
    id: 'review',
    title: t(L, 'review.title', { name: contact.name }),
    submitLabel: t(L, 'form.save'),
    fields: [
      { id: 'progress', kind: 'longtext', label: t(L, 'field.progress'), required: true, maxLength: 2000 },
      { id: 'gap', kind: 'longtext', label: t(L, 'field.gap'), required: false, maxLength: 2000 },
      { id: 'next_actions', kind: 'longtext', label: t(L, 'field.next_actions'), required: false, maxLength: 2000 },
    ],
    values,
    errors: {},
    context: { contact: String(contact.id), plan: String(plan.id) },
  };
}

async function submit(ctx: Context, contact: Contact, plan: Plan, values: FormValues): Promise<Reply> {
  const L = ctx.locale;
  return submitOrReturn(ctx, (v) => reviewForm(ctx, contact, plan, v), values, async () => {
    // Free text loses control characters (domain/text.ts); these fields have lines.
    const text = (value: FormValue | undefined) => textValue(cleanText(typeof value === 'string' ? value : '', { multiline: true }));
    const progress = text(values.progress);
    if (!progress) {
      throw new InputError({ progress: invalidField('progress', { code: 'validation.required' }) });
    }
    const ratings = await listRatingsForAttitude(ctx.db, [contact.id], ctx.today, ctx.rules.attitudeWindowDays, ctx.rules.trendLookbackDays);
    const attitude = attitudeWithTrend(ratings, ctx.today, ctx.rules);
    return transact(ctx, 'review', async (w) => {
      const id = await insertPlanReview(
        w.trx,
        {
          planId: plan.id, date: ctx.today, score: attitude.current ? roundScore(attitude.current.score) : null, level: attitude.current?.level ?? null,
          progress, gap: text(values.gap) ?? null, nextActions: text(values.next_actions) ?? null, reviewedBy: ctx.actor.id,
        },
        ctx.now,
      );
      await w.audit('plan.review', 'plan', plan.id, { contact: contact.name, review: id });
      return {
        blocks: [{ type: 'text', text: t(L, 'review.recorded', { name: contact.name, attitude: attitudeText(L, attitude) }), tone: 'success' }],
        visibility: 'private',
        data: { review: { id, plan: plan.id, contact: ref(contact), date: ctx.today, level: attitude.current?.level ?? null } },
      };
    });
  });
}
