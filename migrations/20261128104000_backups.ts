import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Every backup `mcr backup` made (issue 14): where it was written and when, so that
 * `forget` can tell the operator how many copies made since still hold the person.
 * Frozen: never edit after it lands. Timestamps are ISO 8601 UTC text, as in the first
 * migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const table = db.schema.createTable('backups');
  await (postgres ? table.addColumn('id', 'serial', (c) => c.primaryKey()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('engine', 'text', (c) => c.notNull())
    .addColumn('made_at', 'text', (c) => c.notNull())
    .addColumn('made_by', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('backups_made_at').on('backups').column('made_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('backups').execute();
}
