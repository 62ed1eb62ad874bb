import { roundScore, type AttitudeWithTrend } from '../domain/attitude.ts';
import type { CareItem } from '../domain/care.ts';
import type { Gap } from '../domain/gaps.ts';
import type { Account, Contact, Person } from '../domain/types.ts';
import { joinList, label, labelKey, type Locale, t, withNote } from '../i18n/index.ts';

/** Shared wording of domain values, in the user's language (used by several commands). */

export const ref = (item: { id: number; name: string }) => ({ id: item.id, name: item.name });

/** "Acme Telecom · Strategic", the title of every account view. */
export function accountTitle(locale: Locale, account: Pick<Account, 'name' | 'tier'>): string {
  return `${account.name} · ${label(locale, 'tier', account.tier)}`;
}

export function personName(people: ReadonlyMap<number, Person>, id: number | null): string | null {
  if (id === null) return null;
  return people.get(id)?.name ?? `#${id}`;
}

const TREND_MARK = { up: '↑', down: '↓', flat: '→' } as const;

/** "Supportive 1.3 ↑", or "unknown" (§3: unknown is not neutral). */
export function attitudeText(locale: Locale, attitude: AttitudeWithTrend): string {
  const current = attitude.current;
  if (!current) return t(locale, 'attitude.unknown');
  const trend = attitude.trend ? ` ${TREND_MARK[attitude.trend]}` : '';
  return `${label(locale, 'level', current.level)} ${roundScore(current.score).toFixed(1)}${trend}`;
}

/** The `attitude` JSON of interfaces.md: `{score, level, trend}` or null. */
export function attitudeJson(attitude: AttitudeWithTrend) {
  return attitude.current ? { score: roundScore(attitude.current.score), level: attitude.current.level, trend: attitude.trend } : null;
}

/** §9 a gap in words. */
export function gapText(locale: Locale, gap: Gap, contacts: ReadonlyMap<number, Pick<Contact, 'name'>>): string {
  const name = gap.contactId === undefined ? '' : contacts.get(gap.contactId)?.name ?? `#${gap.contactId}`;
  const vars = {
    // A cadence rule reads "Overdue: touch with a key contact — Tom Baker, 45 days".
    contact: gap.code === 'cadence_overdue' && name ? ` — ${name}` : name,
    rule: gap.rule ? label(locale, 'rule', gap.rule) : '',
    days: gap.days ?? '',
  };
  return t(locale, labelKey('gap', gap.code), vars);
}

/** The `gaps` JSON of interfaces.md: `{code, contact?, rule?, days?}`. */
export function gapJson(gap: Gap, contacts: ReadonlyMap<number, Pick<Contact, 'id' | 'name'>>) {
  const contact = gap.contactId === undefined ? undefined : contacts.get(gap.contactId);
  return {
    code: gap.code,
    ...(contact && { contact: ref(contact) }),
    ...(gap.rule && { rule: gap.rule }),
    ...(gap.days !== undefined && { days: gap.days }),
  };
}

export function percent(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)}%`;
}

/** "in 3 days" / "today" / "2 days ago". */
export function relativeDays(locale: Locale, days: number): string {
  if (days === 0) return t(locale, 'time.today');
  return days > 0 ? t(locale, 'time.in_days', { days }) : t(locale, 'time.days_ago', { days: -days });
}

/** A §8 care reminder as a line: when, whose birthday or which holiday, and the owners (named by `owner`; left out without it). */
export function careText(L: Locale, item: CareItem, contacts: ReadonlyMap<number, Pick<Contact, 'name' | 'ownerAId' | 'ownerBId'>>, owner?: (id: number) => string): string {
  const when = withNote(L, item.date, relativeDays(L, item.daysAway));
  if (item.kind === 'birthday') {
    const c = contacts.get(item.contactId)!;
    if (!owner) return t(L, 'care.birthday_of', { when, name: c.name });
    const owners = [c.ownerAId, c.ownerBId].filter((id): id is number => id !== null).map(owner);
    return t(L, 'care.birthday', { when, name: c.name, owners: joinList(L, owners) || '—' });
  }
  const name = item.holiday.code ? label(L, 'holiday', item.holiday.code) : item.holiday.name;
  return t(L, 'care.holiday', { when, name, count: item.contactIds.length });
}

/** Cuts text to a limit (in characters, not UTF-16 units), ending with an ellipsis when cut. */
export function fit(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
