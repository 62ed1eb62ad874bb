import { eraseContact, scrubText } from '../src/db/forget.repository.ts';
import { flag } from '../src/core/args.ts';
import { defineCommand } from '../src/core/command.ts';
import { AppError } from '../src/core/errors.ts';
import { resolveAccount, resolveContact } from '../src/core/resolve.ts';
import { transact } from '../src/core/transact.ts';
import { t } from '../src/i18n/index.ts';

/**
 * `forget contact <name> --account A`: erase a contact's personal data on request
 * (admins). The name becomes a tombstone everywhere it was written (notes, summaries,
 * next steps, the audit log); ratings and activities stay, so counts and attitudes
 * of the account remain honest.
 */
export const forget = defineCommand({
  name: 'forget',
  usage: 'forget contact <name> --account <account>',
  summary: 'cmd.forget.summary',
  examples: ['forget contact "Tom Baker" --account Acme'],
  admin: true,
  run: async (ctx, args) => {
    const [what, ...rest] = args.positional;
    const accountName = flag(args, 'account');
    if (what !== 'contact' || rest.length === 0 || !accountName) throw new AppError('command.usage', { usage: forget.usage });
    const account = await resolveAccount(ctx, accountName);
    const contact = await resolveContact(ctx, rest.join(' '), account.id);
    const tombstone = t(ctx.locale, 'forget.tombstone', { id: contact.id });
    return transact(ctx, 'forget', async (w) => {
      await eraseContact(w.trx, contact.id, tombstone, `forgotten${contact.id}`, ctx.now);
      const cells = await scrubText(w.trx, contact.name, tombstone);
      // The audit line names the record by id only: the name is what was erased.
      await w.audit('contact.forget', 'contact', contact.id, { account: account.id, cells });
      return {
        blocks: [{ type: 'text', text: t(ctx.locale, 'forget.done', { tombstone, account: account.name, cells }), tone: 'success' }],
        visibility: 'private',
        data: { contact: { id: contact.id, name: tombstone }, account: { id: account.id, name: account.name }, cellsScrubbed: cells },
      };
    });
  },
});
