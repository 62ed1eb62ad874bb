import type { Application } from '@microsoft/teams-ai';
import type { AppDeps } from '../../core/context.ts';
import { errorReply, redrawForm, runLine, submitForm } from '../../core/dispatch.ts';
import { AppError } from '../../core/errors.ts';
import { t } from '../../i18n/index.ts';
import { cardValues, type FormMeta } from '../form-card.ts';
import { teamsContextOrFallback } from '../people.ts';
import { cardFor, cardForForm, sendReply } from '../reply.ts';

type Data = Record<string, unknown> & { mcr?: FormMeta & { run?: string; add?: string } };

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
    const meta = data.mcr!;
    const { ctx, error } = await teamsContextOrFallback(deps, turn, { submissionKey: `teams:card:${meta.k}` });
    if (error !== undefined) return cardFor(ctx, errorReply(ctx, error));
    const values = cardValues(data, meta);
    const reply = await submitForm(ctx, meta.f, values, meta.c);
    // Bad input: the same card again, values kept, each message under its field.
    if (reply.status === 'error' && reply.form) return cardFor(ctx, reply, { r: meta.r, k: meta.k });
    return cardFor(ctx, reply);
  });

  // "Add next step" and "Load contacts": the same form again, with what was typed.
  app.adaptiveCards.actionExecute<Data>(['add-row', 'refresh'], async (turn, _state, data) => {
    const meta = data.mcr!;
    const { ctx, error } = await teamsContextOrFallback(deps, turn);
    if (error !== undefined) return cardFor(ctx, errorReply(ctx, error));
    const values = cardValues(data, meta);
    const rows = meta.add ? { ...meta.r, [meta.add]: (meta.r[meta.add] ?? 1) + 1 } : meta.r;
    const form = redrawForm(ctx, meta.f, values, meta.c);
    if (!form) return cardFor(ctx, errorReply(ctx, ctx.unavailable ?? new AppError(ctx.isAllowed ? 'form.unknown' : 'access.not_allowed', { form: meta.f })));
    return cardForForm(ctx, form, { r: rows, k: meta.k });
  });
}

