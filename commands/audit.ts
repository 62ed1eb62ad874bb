import { auditSubjectOf, findAuditSubjects, listAudit, type AuditSubject } from '../src/db/audit.repository.ts';
import { arg, flag } from '../src/core/args.ts';
import { defineCommand } from '../src/core/command.ts';
import { InputError, invalidField } from '../src/core/errors.ts';
import { PAGING_FLAGS, pageOf } from '../src/core/paging.ts';
import { isIsoDate } from '../src/domain/dates.ts';
import { en } from '../src/i18n/en.ts';
import { label, t, type Locale, type MessageKey } from '../src/i18n/index.ts';

/** One line of the log as `listAudit` reads it, its detail parsed. */
export interface AuditLine {
  at: string;
  actor: string | null;
  action: string;
  entity: string;
  entity_id: number | null;
  detail: Record<string, unknown> | null;
}

/**
 * `audit [--since YYYY-MM-DD] [--limit N] [--page N]`: who changed what, oldest first, the
 * newest page first (admins), each line a sentence in the reader's language ("Alice Chen logged a visit at Acme Telecom, 2026-11-20").
 */
export const audit = defineCommand({
  name: 'audit',
  usage: 'audit [--since YYYY-MM-DD] [--limit N] [--page N]',
  grammar: { flags: { since: arg.date(), ...PAGING_FLAGS } },
  summary: 'cmd.audit.summary',
  examples: ['audit', 'audit --since 2026-11-01'],
  admin: true,
  run: async (ctx, args) => {
    const L = ctx.locale;
    const since = flag(args, 'since');
    if (since !== undefined && !isIsoDate(since)) {
      throw new InputError({ since: invalidField('since', { code: 'validation.date' }, '--since') });
    }
    const entries = await listAudit(ctx.db, since);
    const lines: AuditLine[] = entries.map((e) => ({ at: e.at, actor: e.actor, action: e.action, entity: e.entity, entity_id: e.entityId, detail: asDetail(e.detail) }));
    // Page 1 is the newest entries; --page 2 goes back in time; --json keeps every entry.
    const shown = pageOf(L, args, lines, { fromEnd: true });
    // Names are read now, not from the line: a renamed account shows its new name, a forgotten contact its tombstone.
    const subjects = await findAuditSubjects(ctx.db, lines);
    const text = (line: AuditLine) => auditSentence(L, line, auditSubjectOf(subjects, line));
    return {
      title: t(L, 'audit.title'),
      blocks: [
        lines.length === 0
          ? { type: 'text', text: t(L, 'audit.none') }
          : { type: 'table', columns: [t(L, 'audit.at'), t(L, 'audit.what')], rows: shown.items.map((l) => [l.at.slice(0, 16).replace('T', ' '), text(l)]) },
        ...shown.footer,
      ],
      visibility: 'private',
      data: {
        entries: lines.map((l, i) => ({
          id: entries[i]!.id, at: l.at, actor: l.actor, action: l.action, entity: l.entity, entityId: l.entity_id, detail: l.detail, text: text(l),
        })),
      },
    };
  },
});

function asDetail(detail: unknown): Record<string, unknown> | null {
  return detail !== null && typeof detail === 'object' && !Array.isArray(detail) ? (detail as Record<string, unknown>) : null;
}

/**
 * One audit line as a sentence. The record it is about is named as it is now
 * (`subject`); a record deleted since falls back on what the line's detail kept, then
 * on its id. An action this version has no sentence for still reads as one.
 */
export function auditSentence(L: Locale, line: AuditLine, subject: AuditSubject | undefined): string {
  const d = line.detail ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const record = line.entity_id === null ? line.entity : `${line.entity} #${line.entity_id}`;
  const type = subject?.type ?? text(d.type);
  const vars: Record<string, string | number> = {
    actor: line.actor ?? t(L, 'audit.someone'),
    account: subject?.account ?? text(d.account) ?? (line.entity === 'account' ? record : '—'),
    contact: subject?.contact ?? text(d.contact) ?? record,
    date: subject?.date ?? text(d.date) ?? line.at.slice(0, 10),
    what: type === undefined || type === 'visit' ? t(L, 'audit.what_visit') : t(L, 'audit.what_activity', { type: label(L, 'activity', type) }),
    text: subject?.text ?? text(d.text) ?? record,
    name: subject?.name ?? text(d.name) ?? record,
    tier: text(d.tier) ? label(L, 'tier', d.tier as string) : '—',
    from: text(d.from) ? label(L, 'tier', d.from as string) : '—',
    to: text(d.to) ? label(L, 'tier', d.to as string) : '—',
    channel: text(d.channel) ?? record,
    department: text(d.department) ?? record,
    weighting: text(d.weighting) ?? '—',
    accounts: typeof d.accounts === 'number' ? d.accounts : 0,
    contacts: typeof d.contacts === 'number' ? d.contacts : 0,
    action: line.action,
    record,
  };
  const key = `audit.line.${line.action}`;
  return key in en ? t(L, key as MessageKey, vars) : t(L, 'audit.line.unknown', vars);
}
