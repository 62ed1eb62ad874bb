import type { Application } from '@microsoft/teams-ai';
import type { AppDeps } from '../../core/context.ts';
import { errorReply, runLine } from '../../core/dispatch.ts';
import { teamsContextOrFallback } from '../people.ts';
import { sendReply } from '../reply.ts';

/**
 * Typed commands, in a personal chat, a group chat or a channel (`@MCR Bot brief
 * Acme`: teams-ai strips the mention): `visit Acme`, `/visit Acme` and `mcr visit
 * Acme` are the same line.
 */
export function register(app: Application, deps: AppDeps): void {
  app.activity('message', async (turn) => {
    const line = (turn.activity.text ?? '').replace(/&nbsp;/g, ' ').trim();
    // A message with no text (an attachment, an old card's submit) is not a command.
    if (!line) return;
    // Every message is answered: when who sent it cannot be found, with the apology and its reference.
    const { ctx, error } = await teamsContextOrFallback(deps, turn, { submissionKey: `teams:message:${turn.activity.conversation.id}:${turn.activity.id}` });
    await sendReply(turn, ctx, error === undefined ? await runLine(ctx, line) : errorReply(ctx, error));
  });
}
