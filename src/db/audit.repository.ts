import type { DbOrTrx } from './create-db.ts';
import type { AuditRow } from './schema.ts';

export interface AuditEntry {
  actorId: number | null;
  action: string;
  entity: string;
  entityId: number | null;
  detail?: unknown;
}

/** One line of the audit log (who, when, what); written in the same transaction as the change. */
export async function writeAudit(db: DbOrTrx, entry: AuditEntry, now: Date): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: now.toISOString(),
      actor_id: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
    })
    .execute();
}

/** A line of the audit log as read back: who (by name, when known), when, what, on which record. */
export interface AuditRecord {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  entity: string;
  entityId: number | null;
  detail: unknown;
}

type AuditLine = Pick<AuditRow, 'id' | 'at' | 'action' | 'entity' | 'entity_id' | 'detail'> & { actor: string | null };

export function toAuditRecord(row: AuditLine): AuditRecord {
  return { id: row.id, at: row.at, actor: row.actor, action: row.action, entity: row.entity, entityId: row.entity_id, detail: row.detail ? (JSON.parse(row.detail) as unknown) : null };
}

/** The audit log, oldest first, from `since` (an ISO date or timestamp) when given. */
export async function listAudit(db: DbOrTrx, since?: string): Promise<AuditRecord[]> {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('people', 'people.id', 'audit_log.actor_id')
    .select(['audit_log.id', 'audit_log.at', 'audit_log.action', 'audit_log.entity', 'audit_log.entity_id', 'audit_log.detail', 'people.name as actor'])
    .orderBy('audit_log.id');
  if (since) query = query.where('audit_log.at', '>=', since);
  return (await query.execute()).map(toAuditRecord);
}

/** What an audit line is about, as it is named now (read when the log is shown, so a forgotten contact stays forgotten). */
export interface AuditSubject {
  account?: string;
  contact?: string;
  /** An activity's date and type, a next step's text, a holiday's or a person's name. */
  date?: string;
  type?: string;
  text?: string;
  name?: string;
}

const key = (entity: string, id: number) => `${entity}#${id}`;

/**
 * The records the lines name, looked up as they are now: one query per kind of record.
 * A record deleted since has no entry; the caller falls back on the line's detail.
 */
export async function findAuditSubjects(db: DbOrTrx, lines: ReadonlyArray<{ entity: string; entity_id: number | null }>): Promise<Map<string, AuditSubject>> {
  const ids = (entity: string) => [...new Set(lines.filter((l) => l.entity === entity && l.entity_id !== null).map((l) => l.entity_id!))];
  const found = new Map<string, AuditSubject>();
  const put = (entity: string, id: number, subject: AuditSubject) => found.set(key(entity, id), subject);
  const chunked = async <T>(list: number[], read: (chunk: number[]) => Promise<T[]>): Promise<T[]> => {
    const out: T[] = [];
    for (let i = 0; i < list.length; i += 500) out.push(...(await read(list.slice(i, i + 500))));
    return out;
  };
  for (const r of await chunked(ids('account'), (c) => db.selectFrom('accounts').select(['id', 'name']).where('id', 'in', c).execute())) put('account', r.id, { account: r.name });
  for (const r of await chunked(ids('contact'), (c) =>
    db.selectFrom('contacts').innerJoin('accounts', 'accounts.id', 'contacts.account_id').select(['contacts.id', 'contacts.name', 'accounts.name as account']).where('contacts.id', 'in', c).execute(),
  )) put('contact', r.id, { contact: r.name, account: r.account });
  for (const r of await chunked(ids('activity'), (c) =>
    db.selectFrom('activities').innerJoin('accounts', 'accounts.id', 'activities.account_id').select(['activities.id', 'activities.date', 'activities.type', 'accounts.name as account']).where('activities.id', 'in', c).execute(),
  )) put('activity', r.id, { account: r.account, date: r.date, type: r.type });
  for (const r of await chunked(ids('rating'), (c) =>
    db
      .selectFrom('ratings')
      .innerJoin('contacts', 'contacts.id', 'ratings.contact_id')
      .innerJoin('accounts', 'accounts.id', 'contacts.account_id')
      .select(['ratings.id', 'ratings.date', 'contacts.name as contact', 'accounts.name as account'])
      .where('ratings.id', 'in', c)
      .execute(),
  )) put('rating', r.id, { contact: r.contact, account: r.account, date: r.date });
  for (const r of await chunked(ids('plan'), (c) =>
    db
      .selectFrom('plans')
      .innerJoin('contacts', 'contacts.id', 'plans.contact_id')
      .innerJoin('accounts', 'accounts.id', 'contacts.account_id')
      .select(['plans.id', 'contacts.name as contact', 'accounts.name as account'])
      .where('plans.id', 'in', c)
      .execute(),
  )) put('plan', r.id, { contact: r.contact, account: r.account });
  for (const r of await chunked(ids('next_step'), (c) =>
    db.selectFrom('next_steps').innerJoin('accounts', 'accounts.id', 'next_steps.account_id').select(['next_steps.id', 'next_steps.text', 'accounts.name as account']).where('next_steps.id', 'in', c).execute(),
  )) put('next_step', r.id, { text: r.text, account: r.account });
  for (const r of await chunked(ids('holiday'), (c) => db.selectFrom('holidays').select(['id', 'name', 'date']).where('id', 'in', c).execute())) put('holiday', r.id, { name: r.name, date: r.date });
  for (const r of await chunked(ids('person'), (c) => db.selectFrom('people').select(['id', 'name']).where('id', 'in', c).execute())) put('person', r.id, { name: r.name });
  return found;
}

/** The subject of one line in {@link findAuditSubjects}' answer. */
export function auditSubjectOf(subjects: Map<string, AuditSubject>, line: { entity: string; entity_id: number | null }): AuditSubject | undefined {
  return line.entity_id === null ? undefined : subjects.get(key(line.entity, line.entity_id));
}
