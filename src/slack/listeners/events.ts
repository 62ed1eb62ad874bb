import type { App, webApi } from '@slack/bolt';
import type { AppDeps } from '../../core/context.ts';
import { runLine } from '../../core/dispatch.ts';
import { replyBlocks } from '../blocks.ts';
import { LIMITS } from '../limits.ts';
import { slackContext } from '../people.ts';

/** App Home: the `home` reply as the user's Home tab. */
export async function publishHome(deps: AppDeps, client: webApi.WebClient, userId: string): Promise<void> {
  const ctx = await slackContext(deps, client, userId);
  const reply = await runLine(ctx, 'home');
  await client.views.publish({ user_id: userId, view: { type: 'home', blocks: replyBlocks(reply, { maxBlocks: LIMITS.viewBlocks }) } });
}

export function register(app: App, deps: AppDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab === 'home') await publishHome(deps, client, event.user);
  });
}
