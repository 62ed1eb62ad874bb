import type { App, MessageShortcut } from '@slack/bolt';
import { channelAccountId } from '../../core/channel-account.ts';
import type { Context } from '../../core/command.ts';
import type { AppDeps } from '../../core/context.ts';
import { errorReply, findCommand, redrawForm, runLine, splitLine } from '../../core/dispatch.ts';
import type { Reply } from '../../core/reply.ts';
import { t } from '../../i18n/index.ts';
import { replyBlocks, replyText, unescape } from '../blocks.ts';
import { slackContextOrFallback } from '../people.ts';
import { modalFor, postForUser } from '../reply.ts';
import { deliverImage } from '../upload.ts';
import { turnOf } from '../turn.ts';

/** The message shortcut's callback id (manifest/slack): "Log a visit from this message". */
export const LOG_VISIT_SHORTCUT = 'log_visit_from_message';

/** The visit form's summary holds at most this many characters (commands/visit.ts). */
const SUMMARY_MAX = 3000;

/** How many direct messages are remembered to drop Slack's retries of them (X-Slack-Retry-Num). */
const SEEN_MAX = 1000;

/**
 * `/mcr` alone: the common actions as buttons, each running its command as if typed
 * (the `run:N` buttons of blocks.ts: a form opens as a modal, a lookup answers here).
 */
export function menuReply(ctx: Context): Reply {
  const L = ctx.locale;
  return {
    title: t(L, 'slack.menu.title'),
    blocks: [
      {
        type: 'actions',
        actions: [
          { label: t(L, 'slack.menu.visit'), command: 'visit', style: 'primary' },
          { label: t(L, 'slack.menu.brief'), command: 'brief' },
          { label: t(L, 'slack.menu.rate'), command: 'rate' },
          { label: t(L, 'slack.menu.tier'), command: 'tier' },
          { label: t(L, 'slack.menu.home'), command: 'home' },
          { label: t(L, 'slack.menu.help'), command: 'help' },
        ],
      },
    ],
    visibility: 'private',
    status: 'ok',
  };
}

/** The Messages tab and the message shortcut. */
export function register(app: App, deps: AppDeps): void {
  // Slack retries an event it thinks was not received (our ack was late or lost); the message is
  // answered once. Remembered in memory: a retry after a restart runs again (the first may be lost).
  const seen = new Set<string>();

  app.event('message', async ({ event, client, context }) => {
    if (event.channel_type !== 'im' || event.subtype !== undefined) return;
    // Edits, deletions and bot messages carry a subtype; the bot's own words never run (no loops).
    if ('bot_id' in event && event.bot_id) return;
    if (event.user === context.botUserId) return;
    const key = `${event.channel}:${event.ts}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value!);

    const line = unescape(event.text ?? '').trim().replace(/^\//, '');
    const turn = turnOf(context);
    await turn.ready;
    const { ctx, error } = await slackContextOrFallback(deps, client, event.user, {
      submissionKey: `slack:message:${key}`,
      channel: { platform: 'slack', id: event.channel },
    });
    let reply: Reply;
    if (error !== undefined) reply = errorReply(ctx, error);
    else if (line === '' || !findCommand(ctx.commands, splitLine(line).name)) reply = hintReply(ctx);
    else reply = await runLine(ctx, line);
    if (reply.form) {
      // A direct message has no trigger to open a modal with: a button does (the `run:N` action opens it).
      reply = { blocks: [{ type: 'actions', actions: [{ label: reply.form.title, command: line, style: 'primary' }] }], visibility: 'private', status: 'ok' };
    }
    await client.chat.postMessage({ channel: event.channel, text: replyText(reply), blocks: replyBlocks(reply, { more: t(ctx.locale, 'slack.more') }) });
    turn.release();
    // `brief Acme` typed here: the power map into this direct message, after the text.
    if (reply.image) await deliverImage(client, ctx.log, reply.image, { userId: event.user, channel: event.channel, ctx });
  });

  app.shortcut<MessageShortcut>(LOG_VISIT_SHORTCUT, async ({ shortcut, ack, client, context }) => {
    // Slack gives three seconds: acknowledge first, then look the user up and open the form.
    await ack();
    await turnOf(context).ready;
    const channel = shortcut.channel.id;
    const { ctx, error } = await slackContextOrFallback(deps, client, shortcut.user.id, { channel: { platform: 'slack', id: channel } });
    const summary = unescape(shortcut.message.text ?? '').slice(0, SUMMARY_MAX);
    // The account is chosen when the channel is about one account (its digest covers only that one).
    const account = error === undefined && ctx.isAllowed ? await channelAccountId(ctx).catch(() => undefined) : undefined;
    const values = { account: account === undefined ? undefined : `#${account}`, date: ctx.today, type: 'visit', attendees: [`#${ctx.actor.id}`], summary };
    const form = error === undefined ? redrawForm(ctx, 'visit', values, {}) : undefined;
    let reply: Reply;
    if (form) {
      try {
        await client.views.open({ trigger_id: shortcut.trigger_id, view: await modalFor(ctx, form, { channel }) });
        return;
      } catch (failure) {
        reply = errorReply(ctx, failure);
      }
    } else {
      // Not allowed, or the database is down: the same answer `visit` gives.
      reply = error === undefined ? await runLine(ctx, 'visit') : errorReply(ctx, error);
    }
    await postForUser(client, ctx, shortcut.user.id, channel, reply);
  });
}

/** What a direct message that is not a command gets: how to ask. */
function hintReply(ctx: Context): Reply {
  return { blocks: [{ type: 'text', text: t(ctx.locale, 'slack.dm_hint') }], visibility: 'private', status: 'ok' };
}
