import type { DbOrTrx } from './create-db.ts';

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

export async function listAudit(db: DbOrTrx, since?: string) {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('people', 'people.id', 'audit_log.actor_id')
    .select(['audit_log.id', 'audit_log.at', 'audit_log.action', 'audit_log.entity', 'audit_log.entity_id', 'audit_log.detail', 'people.name as actor'])
    .orderBy('audit_log.id');
  if (since) query = query.where('audit_log.at', '>=', since);
  return query.execute();
}
