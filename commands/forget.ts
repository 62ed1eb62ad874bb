import { listBackupsSince } from '../src/db/backup.repository.ts';
import { eraseContact, type NamedElsewhere } from '../src/db/forget.repository.ts';
import { flushErased } from '../src/db/sql.ts';
import { arg, flag } from '../src/core/args.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { confirmFirst } from '../src/core/confirm.ts';
import { AppError } from '../src/core/errors.ts';
import type { Block } from '../src/core/reply.ts';
import { resolveAccount, resolveContact } from '../src/core/resolve.ts';
import { transact } from '../src/core/transact.ts';
import { t } from '../src/i18n/index.ts';

/** Backup files named in the answer; older ones are counted. */
const BACKUPS_SHOWN = 10;

/**
 * `forget contact <name> --account A`: erase a contact's personal data on request
 * (admins), in one transaction (src/db/forget.repository.ts says what happens to every
 * column). The name becomes a tombstone everywhere it was written; ratings and
 * activities stay, so counts and attitudes of the account remain honest. The audit
 * keeps that the contact was forgotten, by whom and when, not what it held. The answer
 * says which backups still hold the person: the bot cannot reach into them.
 */
export const forget = defineCommand({
  name: 'forget',
  usage: 'forget contact <name> --account <account> [--yes]',
  grammar: { subs: { contact: { subject: { name: 'contact', required: true }, flags: { account: arg.text('A'), yes: arg.boolean() } } } },
  summary: 'cmd.forget.summary',
  examples: ['forget contact "Tom Baker" --account Acme', 'forget contact "Tom Baker" --account Acme --yes'],
  admin: true,
  run: async (ctx, args) => {
    const [what, ...rest] = args.positional;
    const accountName = flag(args, 'account');
    if (what !== 'contact' || rest.length === 0 || !accountName) throw new AppError('command.usage', { usage: forget.usage });
    const account = await resolveAccount(ctx, accountName);
    const contact = await resolveContact(ctx, rest.join(' '), account.id);
    // It cannot be undone: ask first (a button in chat, `--yes` in the CLI), naming the records exactly.
    const ask = confirmFirst(ctx, args, t(ctx.locale, 'forget.what', { name: contact.name, account: account.name }), `forget contact #${contact.id} --account #${account.id}`);
    if (ask) return ask;
    const tombstone = t(ctx.locale, 'forget.tombstone', { id: contact.id });
    const reply = await transact(ctx, 'forget', async (w) => {
      const erased = await eraseContact(w.trx, contact, tombstone, ctx.now);
      // Any backup made since the contact was added holds it.
      const backups = await listBackupsSince(w.trx, contact.createdOn);
      const counts = { cells: erased.cells, ownTexts: erased.ownTexts, cachedReplies: erased.cachedReplies };
      await w.audit('contact.forget', 'contact', contact.id, { account: account.id, ...counts });
      const blocks: Block[] = [
        { type: 'text', text: t(ctx.locale, 'forget.done', { tombstone, account: account.name, ...counts }), tone: 'success' },
        { type: 'text', text: backupsText(ctx, contact.createdOn, backups.map((b) => b.file)), tone: 'warning' },
      ];
      if (erased.namedElsewhere.length > 0) {
        const records = erased.namedElsewhere.map((n) => t(ctx.locale, `forget.record.${n.table}`, { id: n.id })).join(', ');
        blocks.push({ type: 'text', text: t(ctx.locale, 'forget.named_elsewhere', { count: erased.namedElsewhere.length, records }), tone: 'warning' });
      }
      return {
        blocks,
        visibility: 'private',
        data: {
          contact: { id: contact.id, name: tombstone },
          account: { id: account.id, name: account.name },
          cellsScrubbed: erased.cells,
          ownTextsErased: erased.ownTexts,
          cachedRepliesBlanked: erased.cachedReplies,
          backups: { since: contact.createdOn, files: backups.map((b) => ({ file: b.file, engine: b.engine, madeAt: b.madeAt })) },
          namedElsewhere: erased.namedElsewhere satisfies NamedElsewhere[],
        },
      };
    });
    if (reply.status !== 'error' && !(await flushErased(ctx.db))) {
      ctx.log.warn('forget: the write-ahead log was in use and could not be truncated yet', { contact: contact.id });
      return { ...reply, blocks: [...reply.blocks, { type: 'text', text: t(ctx.locale, 'forget.not_flushed'), tone: 'warning' }] };
    }
    return reply;
  },
});

function backupsText(ctx: Context, since: string, files: string[]): string {
  if (files.length === 0) return t(ctx.locale, 'forget.backups_none', { since });
  const shown = files.slice(-BACKUPS_SHOWN).reverse();
  const list = files.length > shown.length ? `${shown.join(', ')} ${t(ctx.locale, 'forget.backups_more', { count: files.length - shown.length })}` : shown.join(', ');
  return t(ctx.locale, 'forget.backups', { count: files.length, since, files: list });
}
