import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { AppDeps } from '../../core/context.ts';
import { errorReply, redrawForm, runLine, submitForm } from '../../core/dispatch.ts';
import { AppError } from '../../core/errors.ts';
import { t } from '../../i18n/index.ts';
import { cardValues, decodeFormMeta } from '../form-card.ts';
import { teamsContext, teamsContextOrFallback } from '../people.ts';
import { cardFor, cardForForm, sendReply } from '../reply.ts';

type Data = Record<string, unknown> & { mcr?: { run?: string } };

/**
 * Card buttons (Action.Execute). The card a handler returns replaces the card that
 * was pressed, for everyone in the chat (teams-ai updates the activity): a submitted
 * form becomes its confirmation, so it cannot be submitted again.
 */
export function register(app: Application, deps: AppDeps): void {
  // A button that runs a command (log visit, rate, mark done, open brief): its answer is a new message.
  app.adaptiveCards.actionExecute<Data>('run', async (turn, _state, data) => {
    const { ctx, error } = await teamsContextOrFallback(deps, turn, { submissionKey: `teams:run:${turn.activity.id}` });
    const line = data.mcr?.run ?? 'help';
    const reply = error === undefined ? await runLine(ctx, line) : errorReply(ctx, error);
    await sendReply(turn, ctx, reply);
    return t(ctx.locale, 'teams.done');
  });

  app.adaptiveCards.actionExecute<Data>('submit', async (turn, _state, data) => {
    const meta = decodeFormMeta(data);
    if (!meta) return notOurs(deps, turn);
    const { ctx, error } = await teamsContextOrFallback(deps, turn, { submissionKey: `teams:card:${meta.key}` });
    if (error !== undefined) return cardFor(ctx, errorReply(ctx, error));
    const values = cardValues(data, meta);
    const reply = await submitForm(ctx, meta.form, values, meta.context);
    // Bad input: the same card again, values kept, each message under its field.
    if (reply.status === 'error' && reply.form) return cardFor(ctx, reply, { rows: meta.rows, key: meta.key });
    return cardFor(ctx, reply);
  });

  // "Add next step" and "Load contacts": the same form again, with what was typed.
  app.adaptiveCards.actionExecute<Data>(['add-row', 'refresh'], async (turn, _state, data) => {
    const meta = decodeFormMeta(data);
    if (!meta) return notOurs(deps, turn);
    const { ctx, error } = await teamsContextOrFallback(deps, turn);
    if (error !== undefined) return cardFor(ctx, errorReply(ctx, error));
    const values = cardValues(data, meta);
    const rows = meta.addRow ? { ...meta.rows, [meta.addRow]: (meta.rows[meta.addRow] ?? 1) + 1 } : meta.rows;
    const form = redrawForm(ctx, meta.form, values, meta.context);
    if (!form) return cardFor(ctx, errorReply(ctx, ctx.unavailable ?? new AppError(ctx.isAllowed ? 'form.unknown' : 'access.not_allowed', { form: meta.form })));
    return cardForForm(ctx, form, { rows, key: meta.key });
  });
}

/** A form button whose data is not a form's (not one of our cards): answered as an unknown form, nothing run. */
async function notOurs(deps: AppDeps, turn: TurnContext) {
  const ctx = await teamsContext(deps, turn);
  return cardFor(ctx, errorReply(ctx, new AppError('form.unknown', { form: 'mcr' })));
}
