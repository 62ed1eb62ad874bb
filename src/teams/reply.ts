import { randomBytes } from 'node:crypto';
import { CardFactory, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import type { Context } from '../core/command.ts';
import { imageErrorReply } from '../core/dispatch.ts';
import { describeOption, lookupOptions } from '../core/options.ts';
import type { Form, Option, Reply, ReplyImage } from '../core/reply.ts';
import { t } from '../i18n/index.ts';
import { replyCard, replySummary, type Card } from './cards.ts';
import { formCard, lookupFields, type FormMeta } from './form-card.ts';
import { byteLength, TEAMS_LIMITS } from './limits.ts';

/**
 * A form as a card, with the choices of its lookups fetched for this user: accounts
 * (their own first), the chosen account's contacts, our people; a prefilled value
 * missing from the first hundred is added so it shows as chosen. Lists shrink until
 * the card fits Teams' message size.
 */
export async function cardForForm(ctx: Context, form: Form, meta: Partial<Pick<FormMeta, 'rows' | 'key'>> = {}): Promise<Card> {
  const choices: Record<string, Option[]> = {};
  for (const field of lookupFields(form)) {
    if (choices[field.id]) continue;
    const options = await lookupOptions(ctx, field, '', form.values);
    const prefilled = [form.values[field.id]].flat().filter((v): v is string => typeof v === 'string');
    for (const row of Object.values(form.values).flat()) if (row && typeof row === 'object' && typeof row[field.id] === 'string') prefilled.push(row[field.id]!);
    for (const value of prefilled) {
      if (options.some((o) => o.value === value)) continue;
      const option = await describeOption(ctx, field.source, value);
      if (option) options.unshift(option);
    }
    choices[field.id] = options;
  }
  const text = {
    chooseFirst: t(ctx.locale, 'teams.choose_first'),
    loadChoices: t(ctx.locale, 'teams.load_choices'),
    required: (label: string) => t(ctx.locale, 'validation.field', { field: label, reason: t(ctx.locale, 'validation.required') }),
  };
  const key = meta.key ?? randomBytes(8).toString('hex');
  let limit: number = TEAMS_LIMITS.choices;
  for (;;) {
    const shown = Object.fromEntries(Object.entries(choices).map(([id, options]) => [id, options.slice(0, limit)]));
    const built = formCard(form, { rows: meta.rows ?? {}, key }, shown, text);
    if (byteLength(built) <= TEAMS_LIMITS.cardBytes || limit <= 5) return built;
    limit = Math.floor(limit / 2);
  }
}

/** A reply as a card: its form when it has one, else its content. */
export async function cardFor(ctx: Context, reply: Reply, meta: Partial<Pick<FormMeta, 'rows' | 'key'>> = {}): Promise<Card> {
  return reply.form ? cardForForm(ctx, reply.form, meta) : replyCard(reply, t(ctx.locale, 'teams.more'));
}

/** A card as a message, with the reply's summary for notifications. */
export function cardMessage(card: Card, reply: Reply): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = replySummary(reply);
  return activity;
}

/** Sends a reply into the conversation of the activity as a new message (and its picture as a second). */
export async function sendReply(turn: TurnContext, ctx: Context, reply: Reply): Promise<void> {
  await turn.sendActivity(cardMessage(await cardFor(ctx, reply), reply));
  if (!reply.image) return;
  // The picture after the card: drawn only now, so the card is never waited on it.
  let refused: Reply | undefined;
  const image = await imageMessage(reply.image).catch((error: unknown) => {
    refused = imageErrorReply(ctx, reply.image!, error);
    if (!refused) ctx.log.warn('image not rendered', { error });
    return undefined;
  });
  if (image) await turn.sendActivity(image);
  else if (refused) await turn.sendActivity(cardMessage(await cardFor(ctx, refused), refused));
  else await turn.sendActivity({ type: 'message', text: t(ctx.locale, 'teams.image_too_large') });
}

/**
 * A picture as an inline image (a PNG data URI) in a message of its own, within Teams' limits
 * (TEAMS_LIMITS): drawn smaller until its data URI fits; undefined when even the smallest does not.
 */
export async function imageMessage(image: ReplyImage): Promise<Partial<Activity> | undefined> {
  for (const scale of TEAMS_LIMITS.imageScales) {
    const contentUrl = `data:image/png;base64,${(await image.png({ scale })).toString('base64')}`;
    if (contentUrl.length > TEAMS_LIMITS.inlineImageBytes) continue;
    return { type: 'message', attachments: [{ contentType: 'image/png', contentUrl, name: image.fileName }], summary: image.title };
  }
  return undefined;
}

export type { FormMeta };
