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
