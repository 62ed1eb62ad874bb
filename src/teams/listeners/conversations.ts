import type { Application } from '@microsoft/teams-ai';
import { TurnContext } from 'botbuilder';
import type { AppDeps } from '../../core/context.ts';
import { errorReply, runLine } from '../../core/dispatch.ts';
import { rememberWhereToPost } from '../../core/conversations.ts';
import { channelConversationId, teamsContextOrFallback } from '../people.ts';
import { sendReply } from '../reply.ts';

const KINDS = ['personal', 'groupChat', 'channel'] as const;

/**
 * Every personal chat, group chat and channel the bot hears from is remembered with
 * its conversation reference, so digests and reminders (issue 7) can post there
 * later. When the bot is added somewhere, it says what it does; added in a personal
 * chat, it first shows that user's `home`.
 */
export function register(app: Application, deps: AppDeps): void {
  app.turn('beforeTurn', async (turn) => {
    const { conversation } = turn.activity;
    const kind = KINDS.find((k) => k === conversation?.conversationType) ?? 'personal';
    if (!conversation?.id || !turn.activity.from?.id) return true;
    // A personal chat belongs to its person: their direct messages go there.
    // Who it is may not be found (the handler then answers with the apology): remembered without its person.
    const person = kind === 'personal' && turn.activity.from.id !== turn.activity.recipient?.id ? (await teamsContextOrFallback(deps, turn)).ctx.actor : undefined;
    const id = channelConversationId(conversation.id);
    const reference = TurnContext.getConversationReference(turn.activity) as unknown as { conversation: { id: string } } & Record<string, unknown>;
    reference.conversation = { ...reference.conversation, id };
    delete reference.activityId;
    await rememberWhereToPost(deps, { platform: 'teams', conversationId: id, kind, personId: person && person.id > 0 ? person.id : null, reference });
    return true;
  });

  app.conversationUpdate('membersAdded', async (turn) => {
    const botAdded = (turn.activity.membersAdded ?? []).some((m) => m.id === turn.activity.recipient.id);
    if (!botAdded) return;
    const { ctx, error } = await teamsContextOrFallback(deps, turn);
    if (error !== undefined) {
      await sendReply(turn, ctx, errorReply(ctx, error));
      return;
    }
    // In a personal chat the welcome is the user's own `home` (their accounts, what is due), then what the bot does.
    if ((turn.activity.conversation?.conversationType ?? 'personal') === 'personal') await sendReply(turn, ctx, await runLine(ctx, 'home'));
    await sendReply(turn, ctx, await runLine(ctx, 'help'));
  });
}
