import type { types, webApi } from '@slack/bolt';
import type { Context } from '../core/command.ts';
import { describeOption } from '../core/options.ts';
import { prefilledPerson } from '../core/people.ts';
import type { Form, Reply } from '../core/reply.ts';
import { t } from '../i18n/index.ts';
import { plainSummary, replyBlocks, replyText } from './blocks.ts';
import { LIMITS } from './limits.ts';
import { fieldPath, formModal, type ModalMeta, type ModalPlacement } from './modal.ts';

type KnownBlock = types.KnownBlock;

export const SHARE_ACTION = 'share';

/** An ephemeral answer with a "Share in channel" button when the reply can be shown again safely. */
export function ephemeralMessage(ctx: Context, reply: Reply) {
  const share: KnownBlock[] = reply.share && reply.status !== 'error'
    ? [{ type: 'actions', elements: [{ type: 'button', action_id: SHARE_ACTION, value: reply.share.slice(0, LIMITS.buttonValue), text: { type: 'plain_text', text: t(ctx.locale, 'slack.share') } }] }]
    : [];
  return { response_type: 'ephemeral' as const, text: replyText(reply), blocks: replyBlocks(reply, { extraActions: share, more: t(ctx.locale, 'slack.more') }) };
}

/** A form as a modal, with prefilled accounts, contacts and people shown by name. */
export async function modalFor(ctx: Context, form: Form, placement: ModalPlacement): Promise<types.View> {
  const labels = new Map<string, { value: string; label: string }>();
  const users = new Map<string, string>();
  for (const field of form.fields.flatMap((f) => (f.kind === 'rows' ? f.fields : [f]))) {
    if (field.kind !== 'lookup') continue;
    const raw = form.values[field.id];
    for (const value of Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : typeof raw === 'string' ? [raw] : []) {
      if (field.source === 'person') {
        // Edit forms prefill people by email (readable in the console): shown as the Slack user, or the modal
        // would open with them empty, and saving it unchanged would clear the roles.
        const person = await prefilledPerson(ctx, value);
        if (person?.slackId) users.set(value, person.slackId);
      } else {
        const option = await describeOption(ctx, field.source, value);
        if (option) labels.set(`${field.source}:${value}`, option);
      }
    }
  }
  return formModal(form, placement, {
    option: (field, value) => labels.get(`${field.source}:${value}`),
    slackUser: (value) => users.get(value),
  });
}

/** Where a form's errors go in the modal: their own block, or the first input when they have none. */
export function blockErrors(reply: Reply, view: { blocks: Array<{ block_id?: string; type: string }> }): Record<string, string> {
  const inputs = view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id!);
  const errors: Record<string, string> = {};
  const messages = reply.form?.errors ?? {};
  for (const [key, message] of Object.entries(messages)) {
    const target = inputs.find((id) => fieldPath(id) === key) ?? inputs[0]!;
    errors[target] = errors[target] ? `${errors[target]}; ${message}` : message;
  }
  // Slack shows view errors as plain text: unescaped.
  if (Object.keys(messages).length === 0) errors[inputs[0]!] = plainSummary(reply);
  return errors;
}

/** Posts a reply for the user where they are: ephemeral in the channel, else as a direct message. */
export async function postForUser(client: webApi.WebClient, ctx: Context, userId: string, channel: string | undefined, reply: Reply): Promise<void> {
  const message = ephemeralMessage(ctx, reply);
  if (channel && !channel.startsWith('D')) {
    try {
      await client.chat.postEphemeral({ channel, user: userId, text: message.text, blocks: message.blocks });
      return;
    } catch (error) {
      // Not in that channel: fall back to a direct message.
      ctx.log.debug('postEphemeral failed, sending a direct message', { channel, error });
    }
  }
  await client.chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks });
}

export type { ModalMeta };
