import { findNextStepById, markNextStepDone, searchOpenNextSteps } from '../src/db/activity.repository.ts';
import { defineCommand } from '../src/core/command.ts';
import { AppError, NameError } from '../src/core/errors.ts';
import { transact } from '../src/core/transact.ts';
import { offerUndo } from '../src/core/undo.ts';
import { readState } from '../src/db/undo.repository.ts';
import { t } from '../src/i18n/index.ts';

/** `done <next step>`: close a next step (§5, the closed loop), by `#id` or words of its text. */
export const done = defineCommand({
  name: 'done',
  usage: 'done <next step or #id>',
  grammar: { subject: { name: 'next_step', required: true } },
  summary: 'cmd.done.summary',
  examples: ['done #3', 'done team dinner'],
  run: async (ctx, args) => {
    const query = args.positional.join(' ');
    if (!query) throw new AppError('command.usage', { usage: done.usage });
    const id = /^#(\d+)$/.exec(query)?.[1];
    const matches = id ? [await findNextStepById(ctx.db, Number(id))].filter((s) => s !== undefined) : await searchOpenNextSteps(ctx.db, query, 6);
    if (matches.length === 0) throw new NameError('name.not_found', 'next_step', query, []);
    if (matches.length > 1) throw new NameError('name.ambiguous', 'next_step', query, matches.map((s) => ({ value: `#${s.id}`, label: s.text })));
    const step = matches[0]!;
    if (step.doneOn) throw new AppError('next_step.done', { text: step.text, date: step.doneOn });
    return transact(ctx, 'done', async (w) => {
      const before = await readState(w.trx, 'next_step', step.id);
      // A second click finds the step already done and changes nothing.
      if (!(await markNextStepDone(w.trx, step.id, ctx.actor.id, ctx.today))) throw new AppError('next_step.done', { text: step.text, date: ctx.today });
      await w.audit('next_step.done', 'next_step', step.id, { text: step.text });
      // Done by mistake: Undo opens it again (issue 15).
      const undo = await offerUndo(ctx, w, 'next_step.done', 'next_step', step.id, before);
      return {
        blocks: [{ type: 'text', text: t(ctx.locale, 'done.marked', { text: step.text }), tone: 'success' }, undo.text, { type: 'actions', actions: [undo.action] }],
        visibility: 'private',
        data: { nextStep: { id: step.id, text: step.text, done: ctx.today }, undo: undo.token },
      };
    });
  },
});
