import { channelsOf } from './config.ts';
import type { AppDeps } from './core/context.ts';
import type { Outbox } from './core/outbox.ts';
import type { SlackClient } from './slack/post.ts';

/**
 * The posters of the platforms the settings switch on, for the scheduler (on its thread,
 * scheduler-main.ts, or `mcr digest run`): wiring, as main.ts is. Given Bolt's client, the Slack poster posts through it, so its
 * posts log and retry as the rest of the app does; else through a Web API client of its own.
 */
export async function createOutbox(deps: AppDeps, slackClient?: SlackClient): Promise<Outbox> {
  const channels = channelsOf(deps.config);
  return {
    ...(channels.slack && { slack: (await import('./slack/post.ts')).createSlackPoster(deps.config, slackClient, deps.log) }),
    ...(channels.teams && { teams: (await import('./teams/post.ts')).createTeamsPoster(deps) }),
  };
}
