import type { ConversationReference } from 'botbuilder';
import type { AppDeps } from '../core/context.ts';
import type { Reply } from '../core/reply.ts';
import { conversationReference, personalConversationReference } from '../core/conversations.ts';
import type { Poster, PostProgress } from '../core/outbox.ts';
import { teamsAdapter } from './app.ts';
import { replyCards } from './cards.ts';
import { cardMessage, imageMessage } from './reply.ts';

/**
 * Posts scheduled messages into the conversations the bot remembered (proactive
 * messages): a long reply as several cards, in order.
 */
export function createTeamsPoster(deps: AppDeps): Poster {
  const adapter = teamsAdapter(deps.config);
  const appId = deps.config.teams.appId ?? '';
  const send = async (reference: Record<string, unknown>, reply: Reply, progress?: PostProgress) => {
    let count = 0;
    await adapter.continueConversationAsync(appId, reference as Partial<ConversationReference>, async (turn) => {
      const cards = replyCards(reply);
      count = cards.length;
      for (let part = progress?.sent ?? 0; part < cards.length; part++) {
        await turn.sendActivity(cardMessage(cards[part]!, reply));
        await progress?.onSent(part + 1);
      }
      // A brief's power map after its card, as in a conversation. Not drawn, too large or refused:
      // logged, and the card stands (it was sent: a retry must not send it again).
      if (reply.image) {
        try {
          const image = await imageMessage(reply.image);
          if (image) await turn.sendActivity(image);
          else deps.log.warn('image not sent: larger than Teams takes inline, even drawn smaller', { file: reply.image.fileName });
        } catch (error) {
          deps.log.warn('image not sent', { error });
        }
      }
    });
    return count;
  };
  return {
    toChannel: async (conversationId, reply, progress) => {
      const reference = await conversationReference(deps, 'teams', conversationId);
      if (!reference) throw new Error(`the bot has not been added to Teams conversation ${conversationId}`);
      return send(reference, reply, progress);
    },
    toPerson: async (person, reply) => {
      const reference = await personalConversationReference(deps, 'teams', person.id);
      if (!reference) return false;
      await send(reference, reply);
      return true;
    },
  };
}
