import type { ConversationReference } from 'botbuilder';
import type { AppDeps } from '../core/context.ts';
import type { Reply } from '../core/reply.ts';
import { findConversation, findPersonalConversation } from '../db/conversation.repository.ts';
import type { Poster, PostProgress } from '../core/outbox.ts';
import { teamsAdapter } from './app.ts';
import { replyCards } from './cards.ts';
import { cardMessage } from './reply.ts';

/**
 * Posts scheduled messages into the conversations the bot remembered (proactive
 * messages): a long reply as several cards, in order.
 */
export function createTeamsPoster(deps: AppDeps): Poster {
  const adapter = teamsAdapter(deps.config);
  const appId = deps.config.teams.appId ?? '';
  const send = async (reference: Record<string, unknown>, reply: Reply, progress?: PostProgress) => {
    await adapter.continueConversationAsync(appId, reference as Partial<ConversationReference>, async (turn) => {
      const cards = replyCards(reply);
      for (let part = progress?.sent ?? 0; part < cards.length; part++) {
        await turn.sendActivity(cardMessage(cards[part]!, reply));
        await progress?.onSent(part + 1);
      }
    });
  };
  return {
    toChannel: async (conversationId, reply, progress) => {
      const conversation = await findConversation(deps.db, 'teams', conversationId);
      if (!conversation) throw new Error(`the bot has not been added to Teams conversation ${conversationId}`);
      await send(conversation.reference, reply, progress);
    },
    toPerson: async (person, reply) => {
      const conversation = await findPersonalConversation(deps.db, 'teams', person.id);
      if (!conversation) return false;
      await send(conversation.reference, reply);
      return true;
    },
  };
}
