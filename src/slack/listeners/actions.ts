import type { App, BlockButtonAction, types } from '@slack/bolt';
import type { AppDeps } from '../../core/context.ts';
import { errorReply, redrawForm, runLine } from '../../core/dispatch.ts';
import { t } from '../../i18n/index.ts';
import { replyBlocks, replyText } from '../blocks.ts';
import { ADD_ROW_ACTION, LOOKUP_PREFIX, stateValues, decodeModalMeta, encodeModalMeta, type InputState } from '../modal.ts';
import { slackContextOrFallback, withPeople } from '../people.ts';
import { ephemeralMessage, modalFor, postForUser, SHARE_ACTION } from '../reply.ts';
import { deliverImage } from '../upload.ts';
import { publishHome } from './events.ts';
import { turnOf } from '../turn.ts';

type KnownBlock = types.KnownBlock;

/** Buttons: every command button runs its command as the one who pressed it. */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(/^run:\d+$/, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const turn = turnOf(context);
    await turn.ready;
    const { ctx, error } = await slackContextOrFallback(deps, client, body.user.id, { submissionKey: `slack:action:${body.trigger_id}` });
    let reply = error === undefined ? await runLine(ctx, action.value ?? 'help') : errorReply(ctx, error);
    const channel = body.channel?.id;
    const fromHome = body.view?.type === 'home';
    if (reply.form) {
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: await modalFor(ctx, reply.form, { ...(channel && { channel }), ...(fromHome && { fromHome }) }) });
      } catch (failure) {
        reply = errorReply(ctx, failure);
      }
    }
    if (reply.form && reply.status !== 'error') {
      // Opened above.
    } else if (body.response_url) {
      await respond({ ...ephemeralMessage(ctx, reply), replace_original: false });
    } else {
      await postForUser(client, ctx, body.user.id, channel, reply);
    }
    turn.release();
    // A brief or map button: the picture after the text, to the one who pressed (from Home: their direct message).
    if (reply.image) await deliverImage(client, ctx.log, reply.image, { userId: body.user.id, ...(channel && { channel }), ...(body.response_url && { respond }), ctx });
    // The Home tab the user is looking at shows the change; elsewhere it is published fresh when next entered (app_home_opened).
    if (fromHome) await publishHome(deps, client, body.user.id).catch(() => undefined);
  });

  app.action<BlockButtonAction>(SHARE_ACTION, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    await turnOf(context).ready;
    const { ctx, error } = await slackContextOrFallback(deps, client, body.user.id);
    const reply = error === undefined ? await runLine(ctx, action.value ?? 'help') : errorReply(ctx, error);
    if (reply.status === 'error') {
      // Nothing to share: the error goes to the one who pressed, not the channel.
      await respond({ ...ephemeralMessage(ctx, reply), replace_original: false });
      return;
    }
    const shared: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: t(ctx.locale, 'slack.shared_by', { user: `<@${body.user.id}>` }) }] };
    await respond({ response_type: 'in_channel', replace_original: false, text: replyText(reply), blocks: replyBlocks(reply, { extraActions: [shared] }) });
  });

  // "Add next step": the same modal with one more row; Slack keeps what was typed in the others.
  app.action<BlockButtonAction>(ADD_ROW_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const view = body.view!;
    const meta = decodeModalMeta(view.private_metadata);
    if (!meta) return;
    const field = action.value!;
    const count = meta.rows[field] ?? 1;
    const blocks = view.blocks as Array<KnownBlock & { block_id?: string }>;
    const firstRow = blocks.filter((b) => b.block_id?.startsWith(`${field}.0.`));
    const newRow = firstRow.map((b) => {
      const copy = JSON.parse(JSON.stringify(b)) as KnownBlock & { block_id: string; label: { text: string }; element: Record<string, unknown> };
      copy.block_id = b.block_id!.replace(`${field}.0.`, `${field}.${count}.`);
      copy.label.text = copy.label.text.replace(/ 1 · /, ` ${count + 1} · `);
      for (const key of ['initial_value', 'initial_date', 'initial_user', 'initial_option']) delete copy.element[key];
      return copy;
    });
    const at = blocks.findIndex((b) => b.block_id === `add:${field}`);
    const next = [...blocks.slice(0, at), ...newRow, ...blocks.slice(at)];
    meta.rows[field] = count + 1;
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: { type: 'modal', callback_id: view.callback_id, title: view.title, submit: view.submit!, close: view.close!, private_metadata: encodeModalMeta(meta), blocks: next as KnownBlock[] },
    });
  });

  // Choosing an account redraws the form: the contacts list follows it, and picks from another account are dropped.
  app.action(new RegExp(`^${LOOKUP_PREFIX}account$`), async ({ ack, body, client, context }) => {
    await ack();
    await turnOf(context).ready;
    const view = (body as { view?: { id: string; hash: string; private_metadata: string; state: { values: Record<string, Record<string, InputState>> } } }).view;
    if (!view) return;
    const meta = decodeModalMeta(view.private_metadata);
    if (!meta) return;
    const { ctx, error } = await slackContextOrFallback(deps, client, body.user.id);
    let form;
    try {
      if (error !== undefined) throw error;
      if (ctx.unavailable !== undefined) throw ctx.unavailable;
      form = redrawForm(ctx, meta.form, await withPeople(deps, client, stateValues(view.state.values)), meta.context);
    } catch (failure) {
      // The form stays as it is; the reason comes as a message (database down: "temporarily unavailable").
      await postForUser(client, ctx, body.user.id, meta.channel, errorReply(ctx, failure));
      return;
    }
    if (!form) return;
    for (const field of form.fields) if (field.kind === 'lookup' && field.dependsOn) form.values[field.id] = [];
    await client.views.update({ view_id: view.id, hash: view.hash, view: await modalFor(ctx, form, { ...(meta.channel && { channel: meta.channel }), rows: meta.rows, version: (meta.version ?? 0) + 1, ...(meta.fromHome && { fromHome: true }) }) });
  });
  app.action(new RegExp(`^${LOOKUP_PREFIX}`), async ({ ack }) => ack());
}
