import { findConversation, findPersonalConversation, rememberConversation, type Conversation } from '../db/conversation.repository.ts';
import { isDatabaseUnavailable } from '../db/sql.ts';
import { messageOf } from '../log.ts';
import { systemClock } from './clock.ts';
import type { AppDeps } from './context.ts';

export type { Conversation };

/**
 * Remembers where the bot can post later (a platform's conversation reference). When
 * the database is down the turn goes on, so the user hears "temporarily unavailable"
 * rather than nothing: false then.
 */
export async function rememberWhereToPost(deps: AppDeps, conversation: Conversation): Promise<boolean> {
  try {
    await rememberConversation(deps.db, conversation, (deps.clock ?? systemClock).now());
    return true;
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    deps.log.warn('conversation not remembered: database unavailable', { error: messageOf(error) });
    return false;
  }
}

/** The reference of a conversation the bot was added to; undefined when it was not. */
export async function conversationReference(deps: AppDeps, platform: Conversation['platform'], conversationId: string): Promise<Record<string, unknown> | undefined> {
  return (await findConversation(deps.db, platform, conversationId))?.reference;
}

/** The reference of a person's personal chat with the bot; undefined when they never had one. */
export async function personalConversationReference(deps: AppDeps, platform: Conversation['platform'], personId: number): Promise<Record<string, unknown> | undefined> {
  return (await findPersonalConversation(deps.db, platform, personId))?.reference;
}
