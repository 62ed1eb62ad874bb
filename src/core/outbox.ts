import type { ChatChannel } from './command.ts';
import type { Reply } from './reply.ts';
import type { Person } from '../domain/types.ts';

/**
 * How far a post split into several messages got: the messages already posted are not
 * posted again, and each one posted is reported, so a retry after a failure part-way
 * goes on from the first one missing.
 */
export interface PostProgress {
  sent: number;
  onSent(sent: number): Promise<void>;
}

/**
 * The port through which the scheduler posts: one platform's way to post what it sends.
 * The adapters implement it (src/slack/post.ts, src/teams/post.ts); main.ts hands them in.
 */
export interface Poster {
  /**
   * Posts into a channel or conversation, split into messages that fit, in order; the
   * number of messages the reply makes (those posted now and those `progress` said were
   * posted before), so that a reply posted after it (the next part of a digest) knows
   * where its messages start.
   */
  toChannel(channelId: string, reply: Reply, progress?: PostProgress): Promise<number>;
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
