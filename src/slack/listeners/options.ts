import type { App, types } from '@slack/bolt';
import type { AppDeps } from '../../core/context.ts';
import { lookupOptions } from '../../core/options.ts';
import { fit, LIMITS } from '../limits.ts';
import { LOOKUP_PREFIX, stateValues, type InputState } from '../modal.ts';
import { slackContext } from '../people.ts';

/** External selects: accounts by typed prefix, the chosen account's contacts, our people. */
export function register(app: App, deps: AppDeps): void {
  app.options<'block_suggestion'>({ type: 'block_suggestion' }, async ({ ack, body, client }) => {
    const [source, dependsOn] = body.action_id.slice(LOOKUP_PREFIX.length).split(':') as ['account' | 'contact' | 'person', string | undefined];
    const ctx = await slackContext(deps, client, body.user.id);
    if (!ctx.isAllowed) {
      await ack({ options: [] });
      return;
    }
    const values = stateValues(((body as { view?: { state?: { values?: Record<string, Record<string, InputState>> } } }).view?.state?.values) ?? {});
    const options = await lookupOptions(ctx, { id: body.block_id, kind: 'lookup', source, multiple: false, label: '', required: false, ...(dependsOn && { dependsOn }) }, body.value ?? '', values);
    const shown: types.PlainTextOption[] = options.slice(0, LIMITS.options).map((o) => ({ text: { type: 'plain_text', text: fit(o.label, LIMITS.optionText) }, value: o.value }));
    await ack({ options: shown });
  });
}
