import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Department scores (mcr-model.md §11, issue 18): what an account team recorded per
 * customer department, and the account's choice of weighting. Frozen: never edit
 * after it lands. Departments are matched by name key (case and spacing ignored), as
 * contacts' departments are; yes/no items are 0/1 integers, null when not recorded;
 * timestamps ISO 8601 UTC text, as in the first migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const table = db.schema.createTable('department_scores');
  await (postgres ? table.addColumn('id', 'serial', (c) => c.primaryKey()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('department', 'text', (c) => c.notNull())
    .addColumn('department_key', 'text', (c) => c.notNull())
    .addColumn('target', 'integer')
    .addColumn('support', 'text')
    .addColumn('channel_open', 'integer')
    .addColumn('incident_spread', 'integer')
    .addColumn('updated_by', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('department_scores_account_department', ['account_id', 'department_key'])
    .execute();
  await db.schema
    .createTable('department_weightings')
    .addColumn('account_id', 'integer', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('weighting', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('department_weightings').execute();
  await db.schema.dropTable('department_scores').execute();
}
