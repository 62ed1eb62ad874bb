import type { App, webApi } from '@slack/bolt';
import type { AppDeps } from '../../core/context.ts';
import { errorReply, runLine } from '../../core/dispatch.ts';
import { replyBlocks } from '../blocks.ts';
import { LIMITS } from '../limits.ts';
import { slackContextOrFallback } from '../people.ts';
import { turnOf } from '../turn.ts';

/** App Home: the `home` reply as the user's Home tab; when who they are cannot be found, the apology with its reference. */
export async function publishHome(deps: AppDeps, client: webApi.WebClient, userId: string): Promise<void> {
  const { ctx, error } = await slackContextOrFallback(deps, client, userId);
  const reply = error === undefined ? await runLine(ctx, 'home') : errorReply(ctx, error);
  await client.views.publish({ user_id: userId, view: { type: 'home', blocks: replyBlocks(reply, { maxBlocks: LIMITS.viewBlocks }) } });
}

export function register(app: App, deps: AppDeps): void {
  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home') return;
    await turnOf(context).ready;
    await publishHome(deps, client, event.user);
  });
}
