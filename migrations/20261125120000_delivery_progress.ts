import type { Kysely } from 'kysely';

/**
 * How many messages of a split digest a delivery has posted, so a retry after a failure
 * part-way goes on from the first one not posted instead of posting the others again.
 * Frozen: never edit after it lands.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('parts_sent', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('parts_sent').execute();
}
