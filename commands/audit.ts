import { listAudit } from '../src/db/audit.repository.ts';
import { flag } from '../src/core/args.ts';
import { defineCommand } from '../src/core/command.ts';
import { InputError } from '../src/core/errors.ts';
import { pageOf } from '../src/core/paging.ts';
import { isIsoDate } from '../src/domain/dates.ts';
import { t } from '../src/i18n/index.ts';

/** `audit [--since YYYY-MM-DD]`: who changed what, oldest first, the newest page first (admins). */
export const audit = defineCommand({
  name: 'audit',
  usage: 'audit [--since YYYY-MM-DD] [--limit N] [--page N]',
  summary: 'cmd.audit.summary',
  examples: ['audit --since 2026-11-01'],
  admin: true,
  run: async (ctx, args) => {
    const since = flag(args, 'since');
    if (since !== undefined && !isIsoDate(since)) {
      throw new InputError({ since: t(ctx.locale, 'validation.field', { field: '--since', reason: t(ctx.locale, 'validation.date') }) });
    }
    const entries = await listAudit(ctx.db, since);
    const rows = entries.map((e) => ({ id: e.id, at: e.at, actor: e.actor, action: e.action, entity: e.entity, entityId: e.entity_id, detail: e.detail ? JSON.parse(e.detail) : null }));
    // Page 1 is the newest entries; --page 2 goes back in time; --json keeps every entry.
    const shown = pageOf(ctx.locale, args, rows, { fromEnd: true });
    return {
      title: t(ctx.locale, 'audit.title'),
      blocks: [
        rows.length === 0
          ? { type: 'text', text: t(ctx.locale, 'audit.none') }
          : {
              type: 'table',
              columns: [t(ctx.locale, 'audit.at'), t(ctx.locale, 'audit.who'), t(ctx.locale, 'audit.what'), t(ctx.locale, 'audit.record')],
              rows: shown.items.map((r) => [r.at.slice(0, 19).replace('T', ' '), r.actor ?? '—', r.action, `${r.entity}${r.entityId === null ? '' : ` #${r.entityId}`}`]),
            },
        ...shown.footer,
      ],
      visibility: 'private',
      data: { entries: rows },
    };
  },
});
