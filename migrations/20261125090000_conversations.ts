import type { Kysely } from 'kysely';

/**
 * Where the bot can speak unprompted (issue 6, for the digests of issue 7): one row per
 * chat platform conversation — a personal chat, a group chat or a channel — holding the
 * platform's own reference (Bot Framework `ConversationReference` JSON for Teams).
 * Frozen: never edit after it lands. Timestamps are ISO 8601 UTC text, as in the first
 * migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversations_pk', ['platform', 'conversation_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('conversations').execute();
}
