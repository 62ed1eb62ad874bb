import type { Application } from '@microsoft/teams-ai';
import type { AppDeps } from '../../core/context.ts';
import { lookupOptions } from '../../core/options.ts';
import { SEARCH_DATASET, splitDataset } from '../datasets.ts';
import { teamsContextOrFallback } from '../people.ts';

/** Teams shows at most 15 type-ahead choices at once (its `top`); paging goes on with `skip`. */
const MAX_RESULTS = 15;

/**
 * Type-ahead for Input.ChoiceSet (`choices.data` of type `Data.Query`), invoke
 * `application/search`: answered from the same lookup as Slack's external selects
 * (core lookupOptions), so every account is reachable from a card, not only the
 * first hundred shown as static choices. Someone not allowed, or a failing lookup,
 * gets no results (a choice list has nowhere else to say why).
 */
export function register(app: Application, deps: AppDeps): void {
  app.adaptiveCards.search(/^(accounts|contacts:.*|people)$/, async (turn, _state, query) => {
    const { ctx, error } = await teamsContextOrFallback(deps, turn);
    if (error !== undefined || ctx.unavailable !== undefined || !ctx.isAllowed) return [];
    const [name, accountRef] = splitDataset(query.parameters.dataset);
    const source = name === SEARCH_DATASET.contact ? 'contact' : name === SEARCH_DATASET.person ? 'person' : 'account';
    try {
      const options = await lookupOptions(
        ctx,
        { id: 'q', kind: 'lookup', source, multiple: false, label: '', required: false, ...(source === 'contact' && { dependsOn: 'account' }) },
        query.parameters.queryText,
        source === 'contact' ? { account: accountRef ?? '' } : {},
      );
      const top = Math.min(Math.max(query.count, 1), MAX_RESULTS);
      return options.slice(query.skip, query.skip + top).map((o) => ({ title: o.label, value: o.value }));
    } catch (failure) {
      deps.log.warn('teams search failed', { error: failure, dataset: query.parameters.dataset });
      return [];
    }
  });
}
