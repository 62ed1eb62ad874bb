import { sql } from 'kysely';
import type { DbOrTrx } from './create-db.ts';
import type { Database } from './schema.ts';

/**
 * The free-text columns a contact's name can end up in. Names of other records
 * (accounts, other contacts, holidays) are left alone: rewriting part of another
 * name would corrupt it, and the forgotten contact's own fields are erased outright.
 */
const TEXT_COLUMNS: { [T in keyof Database]?: Array<keyof Database[T] & string> } = {
  contacts: ['notes'],
  activities: ['purpose', 'summary', 'needs', 'objections'],
  next_steps: ['text'],
  ratings: ['note'],
  plans: ['commitment'],
  plan_reviews: ['progress', 'gap', 'next_actions'],
  tier_changes: ['reason'],
  audit_log: ['detail'],
  submissions: ['reply'],
};

/**
 * Replaces every occurrence of `needle` in the free-text columns with `replacement`
 * (e.g. a forgotten contact's name with its tombstone). Returns the cells changed.
 */
export async function scrubText(db: DbOrTrx, needle: string, replacement: string): Promise<number> {
  let changed = 0;
  for (const [table, columns] of Object.entries(TEXT_COLUMNS) as Array<[keyof Database, string[]]>) {
    for (const column of columns) {
      const result = await db
        .updateTable(table)
        .set({ [column]: sql`replace(${sql.ref(column)}, ${needle}, ${replacement})` } as never)
        .where(sql.ref(column), 'like', `%${needle.replace(/[\\%_]/g, '')}%`)
        .executeTakeFirst();
      changed += Number(result.numUpdatedRows);
    }
  }
  return changed;
}

/** Erases a contact's personal fields; the record, its ratings' values and its activities stay, so counts hold. */
export async function eraseContact(db: DbOrTrx, contactId: number, tombstone: string, tombstoneKey: string, now: Date): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ name: tombstone, name_key: tombstoneKey, title: null, department: null, notes: null, birthday: null, birth_year: null, updated_at: now.toISOString() })
    .where('id', '=', contactId)
    .execute();
  await db.updateTable('ratings').set({ note: null }).where('contact_id', '=', contactId).execute();
}
