import { sql } from 'kysely';
import type { Db, DbOrTrx } from './create-db.ts';
import type { Database } from './schema.ts';
import { moveIdSequence } from './sql.ts';

/** Every table, parents before children, and the column each is ordered by. */
export const TABLES_IN_ORDER: ReadonlyArray<[keyof Database & string, string]> = [
  ['people', 'id'], ['accounts', 'id'], ['tier_changes', 'id'], ['contacts', 'id'], ['activities', 'id'],
  ['activity_contacts', 'activity_id'], ['activity_attendees', 'activity_id'], ['next_steps', 'id'], ['ratings', 'id'],
  ['plans', 'id'], ['plan_reviews', 'id'], ['holidays', 'id'], ['audit_log', 'id'], ['submissions', 'key'],
  ['conversations', 'conversation_id'], ['digest_subscriptions', 'id'], ['deliveries', 'key'], ['reminder_settings', 'person_id'],
  ['backups', 'id'], ['department_scores', 'id'], ['department_weightings', 'account_id'], ['undo_actions', 'token'],
  ['planned_visits', 'id'], ['planned_visit_contacts', 'plan_id'],
];

const PAGE = 500;

/** Rows in every table. */
export async function tableCounts(db: DbOrTrx): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [table] of TABLES_IN_ORDER) {
    const row = await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/**
 * Copies a whole installation into an empty, migrated database (`mcr copy`): every
 * table read inside one transaction of the source (a consistent snapshot, while the
 * bot may keep writing) and written inside one transaction of the target (all or
 * nothing), ids kept, then the target's id sequences moved past them. Returns the
 * rows copied per table.
 */
export async function copyDatabase(source: Db, target: Db): Promise<Record<string, number>> {
  const existing = await tableCounts(target);
  // The first migration seeds the default holidays; anything else means the target is in use.
  const used = Object.entries(existing).filter(([table, n]) => n > 0 && table !== 'holidays');
  if (used.length > 0) throw new Error(`copy: the target database is not empty (${used.map(([t, n]) => `${t} ${n}`).join(', ')}); copy into a new, empty database`);
  // Read only: on SQLite begun deferred (create-db.ts), so the bot beside it keeps writing.
  return source.transaction().setAccessMode('read only').execute((from) =>
    target.transaction().execute(async (to) => {
      await to.deleteFrom('holidays').execute();
      const copied: Record<string, number> = {};
      for (const [table, order] of TABLES_IN_ORDER) {
        copied[table] = 0;
        for (let offset = 0; ; offset += PAGE) {
          const rows = await from.selectFrom(table).selectAll().orderBy(sql.ref(order)).limit(PAGE).offset(offset).execute();
          if (rows.length === 0) break;
          await to.insertInto(table).values(rows as never).execute();
          copied[table] += rows.length;
        }
      }
      for (const [table, order] of TABLES_IN_ORDER) if (order === 'id') await moveIdSequence(to, table);
      return copied;
    }),
  );
}
