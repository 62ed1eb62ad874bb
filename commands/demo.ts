import { searchAccounts } from '../src/db/account.repository.ts';
import { defineCommand } from '../src/core/command.ts';
import { AppError } from '../src/core/errors.ts';
import { transact } from '../src/core/transact.ts';
import { DEMO_ACCOUNTS, loadDemo } from '../src/demo/sample.ts';
import { t } from '../src/i18n/index.ts';

/** `demo`: load the fictional sample into this database (admins; once). */
export const demo = defineCommand({
  name: 'demo',
  usage: 'demo',
  grammar: {},
  summary: 'cmd.demo.summary',
  examples: ['demo'],
  admin: true,
  run: async (ctx) => {
    if ((await searchAccounts(ctx.db, DEMO_ACCOUNTS[0])).length > 0) throw new AppError('demo.loaded');
    return transact(ctx, 'demo', async (w) => {
      const counts = await loadDemo(w.trx, ctx.actor.id, ctx.today, ctx.now);
      await w.audit('demo.load', 'database', null, counts);
      return {
        blocks: [
          { type: 'text', text: t(ctx.locale, 'demo.loaded', counts), tone: 'success' },
          { type: 'actions', actions: DEMO_ACCOUNTS.map((name) => ({ label: name, command: `brief "${name}"` })) },
        ],
        visibility: 'private',
        data: counts,
      };
    });
  },
});
