import { defineCommand } from '../src/core/command.ts';
import { AppError } from '../src/core/errors.ts';
import { transact } from '../src/core/transact.ts';
import { remindersEnabled, setReminders } from '../src/db/reminder.repository.ts';
import { t } from '../src/i18n/index.ts';

/** `remind on|off`: the personal working-day reminders (issue 7); alone, says which it is. */
export const remind = defineCommand({
  name: 'remind',
  usage: 'remind [on|off]',
  grammar: { subs: { on: {}, off: {} }, subOptional: true },
  summary: 'cmd.remind.summary',
  examples: ['remind off', 'remind on'],
  run: async (ctx, args) => {
    const word = args.positional[0]?.toLowerCase();
    if (word !== undefined && word !== 'on' && word !== 'off') throw new AppError('command.usage', { usage: remind.usage });
    const enabled = word === undefined ? await remindersEnabled(ctx.db, ctx.actor.id) : word === 'on';
    const reply = () => ({ blocks: [{ type: 'text' as const, text: t(ctx.locale, enabled ? 'remind.on' : 'remind.off') }], visibility: 'private' as const, data: { reminders: enabled } });
    if (word === undefined) return reply();
    return transact(ctx, 'remind', async (w) => {
      await setReminders(w.trx, ctx.actor.id, enabled, ctx.now);
      await w.audit(enabled ? 'reminders.on' : 'reminders.off', 'person', ctx.actor.id, {});
      return reply();
    });
  },
});
