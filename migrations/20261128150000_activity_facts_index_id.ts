import type { Kysely } from 'kysely';

/**
 * The index of what an assessment reads of an account's activities carries the id too:
 * `(account_id, date, type, id)` replaces `(account_id, date, type)`. On SQLite the old one
 * already covered the query (every index holds the row id); on PostgreSQL it did not, so
 * the facts of a digest's 200 accounts (20,000 activities) were read from the table, which
 * the planner did in full: 380 ms for that one query on a million activities, 18 ms from
 * this index alone (bench/README.md, PostgreSQL). Frozen: never edit after it lands.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('activities_account_date_type_id').on('activities').columns(['account_id', 'date', 'type', 'id']).execute();
  await db.schema.dropIndex('activities_account_date_type').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('activities_account_date_type').on('activities').columns(['account_id', 'date', 'type']).execute();
  await db.schema.dropIndex('activities_account_date_type_id').execute();
}
