import type { App, types } from '@slack/bolt';
import type { AppDeps } from '../../core/context.ts';
import { submitForm } from '../../core/dispatch.ts';
import { FORM_CALLBACK, stateValues, type InputState, type ModalMeta } from '../modal.ts';
import { slackContext, withPeople } from '../people.ts';
import { blockErrors, postForUser } from '../reply.ts';
import { publishHome } from './events.ts';

/** Modal submissions: validation errors go back onto their fields; nothing is written then. */
export function register(app: App, deps: AppDeps): void {
  app.view(FORM_CALLBACK, async ({ ack, body, view, client }) => {
    const meta = JSON.parse(view.private_metadata) as ModalMeta;
    // One key per modal: a double-clicked or retried submit finds it claimed and writes nothing.
    const ctx = await slackContext(deps, client, body.user.id, { submissionKey: `slack:view:${view.id}` });
    const values = await withPeople(deps, client, stateValues(view.state.values as Record<string, Record<string, InputState>>));
    const reply = await submitForm(ctx, meta.f, values, meta.c);
    if (reply.status === 'error') {
      await ack({ response_action: 'errors', errors: blockErrors(reply, view as unknown as { blocks: types.KnownBlock[] & Array<{ block_id?: string; type: string }> }) });
      return;
    }
    await ack();
    if (reply.replayed) return;
    await postForUser(client, ctx, body.user.id, meta.ch, reply);
    await publishHome(deps, client, body.user.id).catch((error: unknown) => ctx.log.warn('app home refresh failed', { error }));
  });
}
