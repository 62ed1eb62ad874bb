import type { App, types } from '@slack/bolt';
import type { AppDeps } from '../../core/context.ts';
import { lookupOptions } from '../../core/options.ts';
import { fit, LIMITS } from '../limits.ts';
import { LOOKUP_PREFIX, stateValues, type InputState } from '../modal.ts';
import { errorReply } from '../../core/dispatch.ts';
import { replyText } from '../blocks.ts';
import { slackContextOrFallback } from '../people.ts';

/** The value of the one option shown when the list cannot be read. */
export const UNAVAILABLE_OPTION = '#0';

/** External selects: accounts by typed prefix, the chosen account's contacts, our people. */
export function register(app: App, deps: AppDeps): void {
  app.options<'block_suggestion'>({ type: 'block_suggestion' }, async ({ ack, body, client }) => {
    const [source, dependsOn] = body.action_id.slice(LOOKUP_PREFIX.length).split(':') as ['account' | 'contact' | 'person', string | undefined];
    const { ctx, error } = await slackContextOrFallback(deps, client, body.user.id);
    if (error === undefined && ctx.unavailable === undefined && !ctx.isAllowed) {
      await ack({ options: [] });
      return;
    }
    let options;
    try {
      if (error !== undefined) throw error;
      if (ctx.unavailable !== undefined) throw ctx.unavailable;
      const values = stateValues(((body as { view?: { state?: { values?: Record<string, Record<string, InputState>> } } }).view?.state?.values) ?? {});
      options = await lookupOptions(ctx, { id: body.block_id, kind: 'lookup', source, multiple: false, label: '', required: false, ...(dependsOn && { dependsOn }) }, body.value ?? '', values);
    } catch (failure) {
      // A list has no other place for a message: the one option says why there are none
      // ("temporarily unavailable"); its value names nothing, so choosing it is refused on submit.
      await ack({ options: [{ text: { type: 'plain_text', text: fit(replyText(errorReply(ctx, failure)), LIMITS.optionText) }, value: UNAVAILABLE_OPTION }] });
      return;
    }
    const shown: types.PlainTextOption[] = options.slice(0, LIMITS.options).map((o) => ({ text: { type: 'plain_text', text: fit(o.label, LIMITS.optionText) }, value: o.value }));
    await ack({ options: shown });
  });
}
