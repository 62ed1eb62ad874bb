import { listAudit } from '../src/db/audit.repository.ts';
import { flag } from '../src/core/args.ts';
import { defineCommand } from '../src/core/command.ts';
import { InputError } from '../src/core/errors.ts';
import { isIsoDate } from '../src/domain/dates.ts';
import { t } from '../src/i18n/index.ts';

const SHOWN = 200;

/** `audit [--since YYYY-MM-DD]`: who changed what, oldest first (admins). */
export const audit = defineCommand({
  name: 'audit',
  usage: 'audit [--since YYYY-MM-DD]',
  summary: 'cmd.audit.summary',
  examples: ['audit --since 2026-11-01'],
  admin: true,
  run: async (ctx, args) => {
    const since = flag(args, 'since');
    if (since !== undefined && !isIsoDate(since)) {
      throw new InputError({ since: t(ctx.locale, 'validation.field', { field: '--since', reason: t(ctx.locale, 'validation.date') }) });
    }
    const rows = await listAudit(ctx.db, since);
    const shown = rows.slice(-SHOWN);
    return {
      title: t(ctx.locale, 'audit.title'),
      blocks: [
        ...(rows.length > SHOWN ? [{ type: 'text' as const, text: t(ctx.locale, 'audit.more', { count: rows.length - SHOWN }), tone: 'muted' as const }] : []),
        rows.length === 0
          ? { type: 'text', text: t(ctx.locale, 'audit.none') }
          : {
              type: 'table',
              columns: [t(ctx.locale, 'audit.at'), t(ctx.locale, 'audit.who'), t(ctx.locale, 'audit.what'), t(ctx.locale, 'audit.record')],
              rows: shown.map((r) => [r.at.slice(0, 19).replace('T', ' '), r.actor ?? '—', r.action, `${r.entity}${r.entityId === null ? '' : ` #${r.entityId}`}`]),
            },
      ],
      visibility: 'private',
      data: { entries: rows },
    };
  },
});
