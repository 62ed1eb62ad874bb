import type { App, types } from '@slack/bolt';
import type { Context } from '../../core/command.ts';
import type { AppDeps } from '../../core/context.ts';
import { errorReply, submitForm } from '../../core/dispatch.ts';
import { AppError } from '../../core/errors.ts';
import type { Reply } from '../../core/reply.ts';
import { decodeModalMeta, FORM_CALLBACK, stateValues, type InputState } from '../modal.ts';
import { slackContextOrFallback, withPeople } from '../people.ts';
import { blockErrors, postForUser } from '../reply.ts';
import { publishHome } from './events.ts';

type ViewBlocks = { blocks: types.KnownBlock[] & Array<{ block_id?: string; type: string }> };

/**
 * Modal submissions: validation errors go back onto their fields; nothing is written
 * then. Every submission is answered, whatever fails (the database down, a modal
 * whose metadata is not ours): Slack shows the message on the form.
 */
export function register(app: App, deps: AppDeps): void {
  app.view(FORM_CALLBACK, async ({ ack, body, view, client }) => {
    // One key per modal: a double-clicked or retried submit finds it claimed and writes nothing.
    const { ctx, error } = await slackContextOrFallback(deps, client, body.user.id, { submissionKey: `slack:view:${view.id}` });
    const meta = decodeModalMeta(view.private_metadata);
    let reply: Reply;
    try {
      if (error !== undefined) throw error;
      if (!meta) throw new AppError('form.unknown', { form: FORM_CALLBACK });
      const values = ctx.unavailable === undefined ? await withPeople(deps, client, stateValues(view.state.values as Record<string, Record<string, InputState>>)) : {};
      reply = await submitForm(ctx, meta.form, values, meta.context);
    } catch (failure) {
      reply = errorReply(ctx, failure);
    }
    if (reply.status === 'error') {
      await answerError(ctx, reply, view as unknown as ViewBlocks, async (fields) => ack(fields), async () => {
        await ack();
        await postForUser(client, ctx, body.user.id, meta?.channel, reply);
      });
      return;
    }
    await ack();
    if (reply.replayed) return;
    await postForUser(client, ctx, body.user.id, meta?.channel, reply);
    await publishHome(deps, client, body.user.id).catch((failure: unknown) => ctx.log.warn('app home refresh failed', { error: failure }));
  });
}

/** The errors on the modal's fields; a modal without inputs cannot show them, so they come as a message. */
async function answerError(ctx: Context, reply: Reply, view: ViewBlocks, onFields: (answer: { response_action: 'errors'; errors: Record<string, string> }) => Promise<void>, asMessage: () => Promise<void>): Promise<void> {
  const hasInputs = Array.isArray(view.blocks) && view.blocks.some((b) => b?.type === 'input' && typeof b.block_id === 'string');
  if (hasInputs) return onFields({ response_action: 'errors', errors: blockErrors(reply, view) });
  ctx.log.debug('form error without an input to show it on', { error: reply.data });
  return asMessage();
}
