import type { App } from '@slack/bolt';
import type { AppDeps } from '../../core/context.ts';
import type { CommandIndex } from '../../core/dispatch.ts';
import { errorReply, runLine } from '../../core/dispatch.ts';
import { unescape } from '../blocks.ts';
import { slackContextOrFallback } from '../people.ts';
import { ephemeralMessage, modalFor } from '../reply.ts';
import { menuReply } from './native.ts';
import { deliverImage } from '../upload.ts';
import { turnOf } from '../turn.ts';

/** The slash commands: `/mcr` for everything, and the commands that have their own (manifest/slack). */
export function slashCommands(commands: CommandIndex): string[] {
  return ['mcr', ...commands.list.filter((c) => c.slash).map((c) => c.name)];
}

export function register(app: App, deps: AppDeps): void {
  for (const name of slashCommands(deps.commands)) {
    app.command(`/${name}`, async ({ command, ack, respond, client, context }) => {
      // Slack gives three seconds: acknowledge first, then work (after this person's previous request).
      await ack();
      const turn = turnOf(context);
      await turn.ready;
      // Every command is answered, even when the user cannot be looked up (database down: "temporarily unavailable").
      const { ctx, error } = await slackContextOrFallback(deps, client, command.user_id, { submissionKey: `slack:command:${command.trigger_id}`, channel: { platform: 'slack', id: command.channel_id } });
      // `/mcr` alone: the menu of common actions (`/mcr help` stays the help).
      const menu = name === 'mcr' && command.text.trim() === '' && error === undefined && ctx.isAllowed;
      let reply = error !== undefined ? errorReply(ctx, error) : menu ? menuReply(ctx) : await runLine(ctx, `/${name} ${unescape(command.text)}`);
      if (reply.form) {
        try {
          await client.views.open({ trigger_id: command.trigger_id, view: await modalFor(ctx, reply.form, { channel: command.channel_id }) });
          return;
        } catch (failure) {
          reply = errorReply(ctx, failure);
        }
      }
      await respond(ephemeralMessage(ctx, reply));
      turn.release();
      // The picture (map, brief) after the text: drawn now, seen only by the asker.
      if (reply.image) await deliverImage(client, ctx.log, reply.image, { userId: command.user_id, channel: command.channel_id, respond, ctx });
    });
  }
}
