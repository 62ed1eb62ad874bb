import type { Application } from '@microsoft/teams-ai';
import { CardFactory, type MessagingExtensionResult } from 'botbuilder';
import type { AppDeps } from '../../core/context.ts';
import { errorReply, runLine } from '../../core/dispatch.ts';
import { lookupOptions } from '../../core/options.ts';
import { teamsContextOrFallback } from '../people.ts';
import { cardFor } from '../reply.ts';

/** The message extension's search command (manifest/teams: composeExtensions). */
export const SEARCH_ACCOUNT = 'searchAccount';

/**
 * Message extension: search an account by name (composeExtension/query, the same
 * lookup as the type-ahead and Slack's external selects); choosing one
 * (composeExtension/selectItem) inserts its brief card into the conversation, as the
 * chooser sees it.
 */
export function register(app: Application, deps: AppDeps): void {
  app.messageExtensions.query<{ query?: string }>(SEARCH_ACCOUNT, async (turn, _state, query) => {
    const { ctx, error } = await teamsContextOrFallback(deps, turn);
    // Someone not allowed, or a lookup that fails (logged), finds nothing: a result list has no place for a message.
    const options = error === undefined && ctx.unavailable === undefined && ctx.isAllowed
      ? await lookupOptions(ctx, { id: 'q', kind: 'lookup', source: 'account', multiple: false, label: '', required: false }, query.parameters.query ?? '', {}).catch((failure: unknown) => {
          deps.log.warn('teams extension search failed', { error: failure });
          return [];
        })
      : [];
    const attachments = options.slice(query.skip, query.skip + Math.min(query.count, 25)).map((o) => ({
      ...CardFactory.heroCard(o.label),
      preview: { ...CardFactory.heroCard(o.label), content: { title: o.label, tap: { type: 'invoke', value: { account: o.value } } } },
    }));
    return { type: 'result', attachmentLayout: 'list', attachments } as MessagingExtensionResult;
  });

  app.messageExtensions.selectItem<{ account?: string }>(async (turn, _state, item) => {
    const { ctx, error } = await teamsContextOrFallback(deps, turn);
    const account = typeof item.account === 'string' && /^#\d+$/.test(item.account) ? item.account : '#0';
    const reply = error === undefined ? await runLine(ctx, `brief ${account}`) : errorReply(ctx, error);
    return { type: 'result', attachmentLayout: 'list', attachments: [CardFactory.adaptiveCard(await cardFor(ctx, reply))] } as MessagingExtensionResult;
  });
}
