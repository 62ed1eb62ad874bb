import { deleteHoliday, insertHoliday, listHolidays } from '../src/db/holiday.repository.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { AppError, InputError, invalidField, NameError } from '../src/core/errors.ts';
import type { Reply } from '../src/core/reply.ts';
import { checkName } from '../src/core/validate.ts';
import { transact } from '../src/core/transact.ts';
import { yearOf } from '../src/domain/dates.ts';
import { formatHolidaySpec, holidayDatesIn, parseHolidaySpec } from '../src/domain/lunar.ts';
import { nameKey } from '../src/domain/names.ts';
import type { Holiday } from '../src/domain/types.ts';
import { label, t, type Locale } from '../src/i18n/index.ts';

/** `holiday list|add|remove`: the workspace's holiday list for routine care (§8). */
export const holiday = defineCommand({
  name: 'holiday',
  usage: 'holiday list | holiday add <name> <MM-DD | lunar:MM-DD> | holiday remove <name>',
  grammar: { subs: { list: {}, add: { subject: { name: 'holiday', required: true } }, remove: { subject: { name: 'name', required: true } } }, subOptional: true },
  summary: 'cmd.holiday.summary',
  examples: ['holiday list', 'holiday add "Lantern Festival" lunar:01-15', 'holiday add 元宵节 lunar:01-15', 'holiday remove "National Day"'],
  run: async (ctx, args) => {
    const [sub = 'list', ...rest] = args.positional;
    if (sub === 'list') return list(ctx);
    if (!ctx.isAdmin) throw new AppError('access.admin_only');
    if (sub === 'add') {
      const spec = parseHolidaySpec(rest.at(-1) ?? '');
      const name = rest.slice(0, -1).join(' ');
      if (!name || !spec) throw new InputError({ date: invalidField('date', { code: 'validation.holiday' }) });
      checkName('name', name);
      const holidays = await listHolidays(ctx.db);
      if (holidays.some((h) => nameKey(h.name) === nameKey(name))) throw new AppError('holiday.exists', { name });
      return transact(ctx, 'holiday.add', async (w) => {
        const added = await insertHoliday(w.trx, name, formatHolidaySpec(spec), ctx.now);
        await w.audit('holiday.create', 'holiday', added.id, { name, date: added.date });
        return { blocks: [{ type: 'text', text: t(ctx.locale, 'holiday.added', { name, date: added.date, next: nextDate(added, ctx.today) }), tone: 'success' }], visibility: 'private', data: { holiday: added } };
      });
    }
    if (sub === 'remove') {
      const name = rest.join(' ');
      const holidays = await listHolidays(ctx.db);
      const found = holidays.find((h) => [h.name, h.code ?? '', holidayName(ctx.locale, h)].some((n) => nameKey(n) === nameKey(name)));
      if (!found) throw new NameError('name.not_found', 'holiday', name, holidays.map((h) => ({ value: h.name, label: holidayName(ctx.locale, h) })));
      return transact(ctx, 'holiday.remove', async (w) => {
        await deleteHoliday(w.trx, found.id);
        await w.audit('holiday.delete', 'holiday', found.id, { name: found.name, date: found.date });
        return { blocks: [{ type: 'text', text: t(ctx.locale, 'holiday.removed', { name: holidayName(ctx.locale, found) }), tone: 'success' }], visibility: 'private', data: { holiday: found } };
      });
    }
    throw new AppError('command.usage', { usage: holiday.usage });
  },
});

export function holidayName(locale: Locale, h: Holiday): string {
  return h.code ? label(locale, 'holiday', h.code) : h.name;
}

/** The next date (from today) the holiday falls on. */
function nextDate(h: Holiday, today: string): string {
  const spec = parseHolidaySpec(h.date)!;
  const year = yearOf(today);
  return [...holidayDatesIn(spec, year), ...holidayDatesIn(spec, year + 1)].find((d) => d >= today) ?? '—';
}

async function list(ctx: Context): Promise<Reply> {
  const L = ctx.locale;
  const holidays = await listHolidays(ctx.db);
  return {
    title: t(L, 'holiday.title'),
    blocks: [{ type: 'table', columns: [t(L, 'field.name'), t(L, 'field.date'), t(L, 'holiday.next')], rows: holidays.map((h) => [holidayName(L, h), h.date, nextDate(h, ctx.today)]) }],
    visibility: 'private',
    data: { holidays: holidays.map((h) => ({ id: h.id, code: h.code, name: holidayName(L, h), date: h.date, next: nextDate(h, ctx.today) })) },
  };
}
