import { firstAccountId } from '../db/account.repository.ts';
import type { Context } from './command.ts';
import { contextFor, type AppDeps } from './context.ts';
import { runLine } from './dispatch.ts';
import type { Reply } from './reply.ts';

/**
 * What a cold process pays on its first request, paid before it says it is ready (issue 19
 * part 3): the first `brief` and `tier` run every query, rule and reply of the busiest path
 * for the first time (SQLite's page cache, statement preparation, V8 compiling the code), and
 * the channels' `render` turns each reply into their markup once. Read-only: as nobody (no
 * person is stored, nothing audited), on the first account if there is one; a failure is
 * logged, never fatal (the bot is still ready, only colder).
 */
export async function warmUp(deps: AppDeps, render: Array<(ctx: Context, reply: Reply) => unknown> = []): Promise<void> {
  try {
    const id = await firstAccountId(deps.db);
    const nobody = { id: 0, name: 'warm-up', email: null, slackId: null, teamsId: null, locale: null };
    for (const locale of ['en', 'zh-CN'] as const) {
      const ctx = contextFor(deps, nobody, { isAdmin: true, locale });
      for (const line of id === undefined ? ['help'] : [`brief #${id}`, `tier #${id}`]) {
        const reply = await runLine(ctx, line);
        for (const one of render) one(ctx, reply);
      }
    }
  } catch (error) {
    deps.log.warn('warm-up failed; the first request will be slower', { error });
  }
}
