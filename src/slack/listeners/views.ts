import type { App, types } from '@slack/bolt';
import type { Context } from '../../core/command.ts';
import type { AppDeps } from '../../core/context.ts';
import { errorReply, submitForm } from '../../core/dispatch.ts';
import { AppError } from '../../core/errors.ts';
import type { Reply } from '../../core/reply.ts';
import { sinceArrival } from '../arrival.ts';
import { decodeModalMeta, FORM_CALLBACK, stateValues, type InputState } from '../modal.ts';
import { slackContextOrFallback, withPeople } from '../people.ts';
import { blockErrors, modalFor, postForUser } from '../reply.ts';
import { publishHome } from './events.ts';
import { turnOf } from '../turn.ts';

type ViewBlocks = { blocks: types.KnownBlock[] & Array<{ block_id?: string; type: string }> };

/** Slack shows the user its own error when a view submission is not acked within 3 s of its arrival: the ack goes by then. */
export const ACK_BUDGET_MS = 2_500;

/**
 * Modal submissions: validate, ack (with the errors on their fields if any: nothing is
 * written then), reply. A good submission is acked once its write committed, so a 200
 * means saved (issue 8) — the write is one local transaction, milliseconds — and the
 * confirmation follows the ack. Should anything take longer than Slack's budget (a slow
 * profile lookup, a database waiting on a lock), the ack goes at {@link ACK_BUDGET_MS}
 * from the request's arrival (it may have waited for the answers thread: arrival.ts)
 * and the answer, whatever it is, follows as a message. Every submission is answered,
 * whatever fails (the user's profile or record, the database, a modal whose metadata is
 * not ours): on the form while the modal is open, as a message after.
 */
export function register(app: App, deps: AppDeps): void {
  app.view(FORM_CALLBACK, async ({ ack, body, view, client, context }) => {
    const meta = decodeModalMeta(view.private_metadata);
    const turn = turnOf(context);
    const work = (async () => {
      // After this person's previous request (its wait counts against the ack's budget).
      await turn.ready;
      // One key per modal: a double-clicked or retried submit finds it claimed and writes nothing.
      const { ctx, error } = await slackContextOrFallback(deps, client, body.user.id, { submissionKey: `slack:view:${view.id}` });
      try {
        if (error !== undefined) throw error;
        if (!meta) throw new AppError('form.unknown', { form: FORM_CALLBACK });
        const values = ctx.unavailable === undefined ? await withPeople(deps, client, stateValues(view.state.values as Record<string, Record<string, InputState>>)) : {};
        return { ctx, reply: await submitForm(ctx, meta.form, values, meta.context) };
      } catch (failure) {
        return { ctx, reply: errorReply(ctx, failure) };
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const budgetMs = ACK_BUDGET_MS - sinceArrival(context);
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), budgetMs)));
    const inTime = await Promise.race([work, late]);
    clearTimeout(timer);
    if (!inTime) {
      await ack();
      const { ctx, reply } = await work;
      ctx.log.warn('view submission answered after its ack', { budgetMs, status: reply.status });
      if (!reply.replayed) await postForUser(client, ctx, body.user.id, meta?.channel, reply);
      return;
    }
    const { ctx, reply } = inTime;
    if (reply.status === 'error') {
      await answerError(ctx, reply, view as unknown as ViewBlocks, async (fields) => ack(fields), async () => {
        await ack();
        await postForUser(client, ctx, body.user.id, meta?.channel, reply);
      });
      return;
    }
    if (reply.form && !reply.replayed) {
      // A form that leads to another (a picked contact → its rating form): the modal turns into it.
      await ack({ response_action: 'update', view: await modalFor(ctx, reply.form, { ...(meta?.channel && { channel: meta.channel }), ...(meta?.fromHome && { fromHome: true }) }) });
      return;
    }
    await ack();
    if (reply.replayed) return;
    await postForUser(client, ctx, body.user.id, meta?.channel, reply);
    turn.release();
    // Only a form opened from the Home tab, which the user is looking at (see ModalMeta.fromHome).
    if (meta?.fromHome) await publishHome(deps, client, body.user.id).catch((failure: unknown) => ctx.log.warn('app home refresh failed', { error: failure }));
  });
}

/** The errors on the modal's fields; a modal without inputs cannot show them, so they come as a message. */
async function answerError(ctx: Context, reply: Reply, view: ViewBlocks, onFields: (answer: { response_action: 'errors'; errors: Record<string, string> }) => Promise<void>, asMessage: () => Promise<void>): Promise<void> {
  const hasInputs = Array.isArray(view.blocks) && view.blocks.some((b) => b?.type === 'input' && typeof b.block_id === 'string');
  if (hasInputs) return onFields({ response_action: 'errors', errors: blockErrors(reply, view) });
  ctx.log.debug('form error without an input to show it on', { error: reply.data });
  return asMessage();
}
