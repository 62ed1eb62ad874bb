import * as z from 'zod';
import { findNextStepById, nextStepAuthor, updateNextStep } from '../src/db/activity.repository.ts';
import { findAccountById } from '../src/db/account.repository.ts';
import { readState } from '../src/db/undo.repository.ts';
import { arg, flag, type Args } from '../src/core/args.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { confirmFirst, recordRef } from '../src/core/confirm.ts';
import { AppError } from '../src/core/errors.ts';
import { resolveField, submitOrReturn, textValue } from '../src/core/forms.ts';
import type { Form, FormValues, Reply } from '../src/core/reply.ts';
import { resolvePerson } from '../src/core/resolve.ts';
import { guardAuthor } from '../src/core/role-guard.ts';
import { transact } from '../src/core/transact.ts';
import { deleteWithUndo, offerUndo } from '../src/core/undo.ts';
import { freeText, validate } from '../src/core/validate.ts';
import { isIsoDate } from '../src/domain/dates.ts';
import type { NextStep } from '../src/domain/types.ts';
import { t } from '../src/i18n/index.ts';
import { nextStepFields } from './visit.ts';

const FIELDS = ['text', 'owner', 'due'] as const;
const schema = z.object({ text: freeText(500, { multiline: false, required: true }), owner: z.string().optional(), due: z.string().refine(isIsoDate, 'validation.date').optional() });

/**
 * `step edit #id` / `step delete #id`: correct a next step (§5) — what, who, by when — or
 * remove one logged by mistake. For whoever logged its visit, or an admin (issue 15);
 * `done` closes one, and its Undo opens it again.
 */
export const step = defineCommand({
  name: 'step',
  usage: 'step edit #id [--text "…"] [--owner email] [--due YYYY-MM-DD] | step delete #id',
  grammar: {
    subs: {
      edit: { subject: { name: 'id', required: true }, flags: { text: arg.text(), owner: arg.text('EMAIL'), due: arg.date() } },
      delete: { subject: { name: 'id', required: true }, flags: { yes: arg.boolean() } },
    },
  },
  summary: 'cmd.step.summary',
  examples: ['step edit #3 --due 2026-12-15', 'step delete #3'],
  run: async (ctx, args) => {
    const correction = recordRef(args.positional, step.usage);
    if (!correction || correction.rest.length > 0) throw new AppError('command.usage', { usage: step.usage });
    const found = await findStep(ctx, correction.id);
    if (correction.verb === 'delete') return deleteStep(ctx, found, args);
    const values: FormValues = { text: found.text, owner: found.ownerId === null ? undefined : `#${found.ownerId}`, due: found.dueOn ?? undefined };
    const given = FIELDS.filter((f) => typeof args.flags[f] === 'string');
    for (const f of given) values[f] = flag(args, f);
    if (given.length > 0) return submit(ctx, found.id, values);
    return { blocks: [], form: stepForm(ctx, found.id, values), visibility: 'private' };
  },
  forms: { step: { submit: (ctx, values, context) => submit(ctx, Number(context.step), values) } },
});

async function findStep(ctx: Context, id: number): Promise<NextStep> {
  const found = await findNextStepById(ctx.db, id);
  if (!found) throw new AppError('step.not_found', { id });
  await guardAuthor(ctx, 'next_step', id, t(ctx.locale, 'step.record', { id }), await nextStepAuthor(ctx.db, id));
  return found;
}

function stepForm(ctx: Context, id: number, values: FormValues): Form {
  const L = ctx.locale;
  return {
    id: 'step',
    title: t(L, 'step.edit_title', { id }),
    submitLabel: t(L, 'step.submit'),
    fields: nextStepFields(L),
    values,
    errors: {},
    context: { step: String(id) },
  };
}

async function submit(ctx: Context, id: number, values: FormValues): Promise<Reply> {
  const L = ctx.locale;
  return submitOrReturn(ctx, (v) => stepForm(ctx, id, v), values, async () => {
    // Checked again on submit: a form can be replayed by anyone.
    await findStep(ctx, id);
    const input = validate(schema, { text: textValue(values.text) ?? '', owner: textValue(values.owner), due: textValue(values.due) });
    const owner = input.owner ? await resolveField('owner', () => resolvePerson(ctx, input.owner!)) : undefined;
    return transact(ctx, 'step', async (w) => {
      const before = await readState(w.trx, 'next_step', id);
      if (before === null) throw new AppError('step.not_found', { id });
      await updateNextStep(w.trx, id, { text: input.text, ownerId: owner?.id ?? null, dueOn: input.due ?? null });
      await w.audit('next_step.update', 'next_step', id, { owner: owner?.id ?? null, due: input.due ?? null });
      const undo = await offerUndo(ctx, w, 'next_step.update', 'next_step', id, before);
      return {
        title: t(L, 'step.updated', { id }),
        blocks: [
          { type: 'text', text: [input.text, owner?.name, input.due].filter(Boolean).join(' — ') },
          undo.text,
          { type: 'actions', actions: [undo.action, { label: t(L, 'action.edit'), command: `step edit #${id}` }] },
        ],
        visibility: 'private',
        data: { nextStep: { id, text: input.text, owner: owner ? { id: owner.id, name: owner.name } : null, due: input.due ?? null }, undo: undo.token },
      };
    });
  });
}

/** `step delete #12`: asks first. */
async function deleteStep(ctx: Context, found: NextStep, args: Args): Promise<Reply> {
  const L = ctx.locale;
  const account = await findAccountById(ctx.db, found.accountId);
  const what = t(L, 'step.delete_what', { id: found.id, text: found.text, account: account?.name ?? '—' });
  const ask = confirmFirst(ctx, args, what, `step delete #${found.id}`);
  if (ask) return ask;
  return transact(ctx, 'step', async (w) => {
    const undo = await deleteWithUndo(ctx, w, 'next_step', found.id, { activity: found.activityId }, () => new AppError('step.not_found', { id: found.id }));
    return {
      blocks: [{ type: 'text', text: t(L, 'step.deleted', { what }), tone: 'success' }, undo.text, { type: 'actions', actions: [undo.action] }],
      visibility: 'private',
      data: { deleted: { nextStep: found.id }, undo: undo.token },
    };
  });
}
