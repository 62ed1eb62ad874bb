import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Planned visits (issue 18 part 2, the meeting loop): a visit on a day ahead, with the
 * contacts to meet. Its own table, not a future-dated row of `activities`, so no reader
 * of activities (cadence §7, last touch, attitude, digests, export) can count a plan as
 * a touch: only the visit logged from it is an activity (`activity_id`, status
 * `planned` | `logged` | `cancelled`). `time` is `HH:MM` local (MCR_TIMEZONE) or null.
 * Frozen: never edit after it lands. Dates ISO text, timestamps ISO 8601 UTC text.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const table = db.schema.createTable('planned_visits');
  await (postgres ? table.addColumn('id', 'serial', (c) => c.primaryKey()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('time', 'text')
    .addColumn('purpose', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'integer', (c) => c.references('activities.id').onDelete('set null'))
    .addColumn('created_by', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('planned_visits_status_date').on('planned_visits').columns(['status', 'date']).execute();
  await db.schema.createIndex('planned_visits_owner_date').on('planned_visits').columns(['owner_id', 'date']).execute();
  await db.schema
    .createTable('planned_visit_contacts')
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('planned_visits.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('planned_visit_contacts_pk', ['plan_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('planned_visit_contacts_contact').on('planned_visit_contacts').column('contact_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('planned_visit_contacts').execute();
  await db.schema.dropTable('planned_visits').execute();
}
