import type { Kysely } from 'kysely';

/**
 * Writes that may be taken back for a few minutes (issue 15: correct and undo). One row
 * per write: who made it, what it touched, the state of that record before and after
 * (JSON of its rows, written by src/db/undo.repository.ts), until when it may be undone,
 * and when it was. Records are deleted for real (visits, ratings, next steps): undoing a
 * delete puts the same rows back with the same ids. Frozen: never edit after it lands.
 * Timestamps are ISO 8601 UTC text, as in the first migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('undo_actions')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('actor_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('before_state', 'text')
    .addColumn('after_state', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('undone_at', 'text')
    .execute();
  await db.schema.createIndex('undo_actions_expires').on('undo_actions').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('undo_actions').execute();
}
