import type { ChatChannel } from '../core/command.ts';
import type { Reply } from '../core/reply.ts';
import type { Person } from '../domain/types.ts';

/** One platform's way to post what the scheduler sends (src/slack/post.ts, src/teams/post.ts). */
export interface Poster {
  /** Posts into a channel or conversation, split into messages that fit, in order. */
  toChannel(channelId: string, reply: Reply): Promise<void>;
  /** Sends to one person directly; false when this platform cannot reach them. */
  toPerson(person: Person, reply: Reply): Promise<boolean>;
}

/** Where scheduled digests and reminders go: the posters of the platforms that are on. */
export type Outbox = Partial<Record<ChatChannel['platform'], Poster>>;

export class NotConfiguredError extends Error {
  constructor(platform: string) {
    super(`${platform} is not configured here, so its digests cannot be sent`);
    this.name = 'NotConfiguredError';
  }
}
