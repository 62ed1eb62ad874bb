import { channelsOf } from '../config.ts';
import type { ChatChannel } from '../core/command.ts';
import type { AppDeps } from '../core/context.ts';
import type { Reply } from '../core/reply.ts';
import type { Person } from '../domain/types.ts';
import type { SlackClient } from '../slack/post.ts';

/**
 * How far a post split into several messages got: the messages already posted are not
 * posted again, and each one posted is reported, so a retry after a failure part-way
 * goes on from the first one missing.
 */
export interface PostProgress {
  sent: number;
  onSent(sent: number): Promise<void>;
}

/** One platform's way to post what the scheduler sends (src/slack/post.ts, src/teams/post.ts). */
export interface Poster {
  /** Posts into a channel or conversation, split into messages that fit, in order. */
  toChannel(channelId: string, reply: Reply, progress?: PostProgress): Promise<void>;
  /** Sends to one person directly; false when this platform cannot reach them. */
  toPerson(person: Person, reply: Reply): Promise<boolean>;
}

/** Where scheduled digests and reminders go: the posters of the platforms that are on. */
export type Outbox = Partial<Record<ChatChannel['platform'], Poster>>;

/**
 * The posters of the platforms the settings switch on. The platform SDKs are loaded
 * only here, so `mcr` commands that post nothing start without them. The bot passes
 * Bolt's client, so its posts log and retry as the rest of the app does.
 */
export async function createOutbox(deps: AppDeps, slackClient?: SlackClient): Promise<Outbox> {
  const channels = channelsOf(deps.config);
  return {
    ...(channels.slack && { slack: (await import('../slack/post.ts')).createSlackPoster(deps.config, slackClient) }),
    ...(channels.teams && { teams: (await import('../teams/post.ts')).createTeamsPoster(deps) }),
  };
}

export class NotConfiguredError extends Error {
  constructor(platform: string) {
    super(`${platform} is not configured here, so its digests cannot be sent`);
    this.name = 'NotConfiguredError';
  }
}
