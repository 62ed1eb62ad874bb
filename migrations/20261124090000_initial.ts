import { PostgresAdapter, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * The first schema. Frozen: never edit after it lands; add a new migration instead.
 * Portable on purpose: calendar dates are ISO `YYYY-MM-DD` text and timestamps ISO
 * 8601 UTC text (they sort and compare as text on both engines); booleans are
 * integers 0/1; ids are integer identities (SQLite `integer primary key
 * autoincrement`, PostgreSQL `serial`), the only place the two engines differ.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const withId = <T extends string>(table: CreateTableBuilder<T, never>) =>
    postgres
      ? table.addColumn('id', 'serial', (c) => c.primaryKey())
      : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  const ref = (table: string, onDelete: 'cascade' | 'set null' = 'set null') => (c: ColumnDefinitionBuilder) =>
    c.references(`${table}.id`).onDelete(onDelete);

  await withId(db.schema.createTable('people'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('slack_id', 'text', (c) => c.unique())
    .addColumn('teams_id', 'text', (c) => c.unique())
    .addColumn('local_user', 'text', (c) => c.unique())
    .addColumn('locale', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('accounts'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('industry', 'text')
    .addColumn('region', 'text')
    .addColumn('contribution', 'integer')
    .addColumn('credit', 'integer')
    .addColumn('potential', 'integer')
    .addColumn('account_manager_id', 'integer', ref('people'))
    .addColumn('solution_manager_id', 'integer', ref('people'))
    .addColumn('delivery_manager_id', 'integer', ref('people'))
    .addColumn('sponsor_id', 'integer', ref('people'))
    .addColumn('tier_set_on', 'text', (c) => c.notNull())
    .addColumn('tier_reviewed_on', 'text')
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('tier_changes'))
    .addColumn('account_id', 'integer', (c) => ref('accounts', 'cascade')(c.notNull()))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_tier', 'text')
    .addColumn('to_tier', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('changed_by', 'integer', ref('people'))
    .addColumn('changed_on', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tier_changes_account').on('tier_changes').columns(['account_id', 'changed_at']).execute();

  await withId(db.schema.createTable('contacts'))
    .addColumn('account_id', 'integer', (c) => ref('accounts', 'cascade')(c.notNull()))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('department', 'text')
    .addColumn('position', 'text')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('owner_a_id', 'integer', ref('people'))
    .addColumn('owner_b_id', 'integer', ref('people'))
    .addColumn('owner_c_id', 'integer', ref('people'))
    .addColumn('style', 'text')
    .addColumn('need_level', 'integer')
    .addColumn('birthday', 'text')
    .addColumn('birth_year', 'integer')
    .addColumn('rising_star', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notes', 'text')
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('contacts_account_name', ['account_id', 'name_key'])
    .execute();
  await db.schema.createIndex('contacts_name_key').on('contacts').column('name_key').execute();

  await withId(db.schema.createTable('activities'))
    .addColumn('account_id', 'integer', (c) => ref('accounts', 'cascade')(c.notNull()))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('stage', 'text')
    .addColumn('purpose', 'text')
    .addColumn('summary', 'text')
    .addColumn('needs', 'text')
    .addColumn('objections', 'text')
    .addColumn('created_by', 'integer', ref('people'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // A hash of what the activity says (account, date, type, who, what): re-importing a file finds it.
    .addColumn('content_key', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('activities_content_key').on('activities').column('content_key').execute();
  await db.schema.createIndex('activities_account_date').on('activities').columns(['account_id', 'date']).execute();

  await db.schema
    .createTable('activity_contacts')
    .addColumn('activity_id', 'integer', (c) => ref('activities', 'cascade')(c.notNull()))
    .addColumn('contact_id', 'integer', (c) => ref('contacts', 'cascade')(c.notNull()))
    .addPrimaryKeyConstraint('activity_contacts_pk', ['activity_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('activity_contacts_contact').on('activity_contacts').columns(['contact_id', 'activity_id']).execute();

  await db.schema
    .createTable('activity_attendees')
    .addColumn('activity_id', 'integer', (c) => ref('activities', 'cascade')(c.notNull()))
    .addColumn('person_id', 'integer', (c) => ref('people', 'cascade')(c.notNull()))
    .addPrimaryKeyConstraint('activity_attendees_pk', ['activity_id', 'person_id'])
    .execute();

  await withId(db.schema.createTable('next_steps'))
    .addColumn('activity_id', 'integer', (c) => ref('activities', 'cascade')(c.notNull()))
    .addColumn('account_id', 'integer', (c) => ref('accounts', 'cascade')(c.notNull()))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', ref('people'))
    .addColumn('due_on', 'text')
    .addColumn('done_on', 'text')
    .addColumn('done_by', 'integer', ref('people'))
    .execute();
  await db.schema.createIndex('next_steps_account').on('next_steps').columns(['account_id', 'done_on']).execute();
  await db.schema.createIndex('next_steps_owner').on('next_steps').columns(['owner_id', 'done_on']).execute();

  await withId(db.schema.createTable('ratings'))
    .addColumn('contact_id', 'integer', (c) => ref('contacts', 'cascade')(c.notNull()))
    .addColumn('rated_by', 'integer', ref('people'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('acceptance', 'integer')
    .addColumn('participation', 'integer')
    .addColumn('project_support', 'integer')
    .addColumn('information', 'integer')
    .addColumn('guidance', 'integer')
    .addColumn('competition', 'integer')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('content_key', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ratings_content_key').on('ratings').column('content_key').execute();
  await db.schema.createIndex('ratings_contact_date').on('ratings').columns(['contact_id', 'date']).execute();

  await withId(db.schema.createTable('plans'))
    .addColumn('contact_id', 'integer', (c) => ref('contacts', 'cascade')(c.notNull()))
    .addColumn('goal_level', 'text', (c) => c.notNull())
    .addColumn('goal_date', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', ref('people'))
    .addColumn('sponsor_id', 'integer', ref('people'))
    .addColumn('commitment', 'text')
    .addColumn('cycle_days', 'integer', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('closed_on', 'text')
    .addColumn('created_by', 'integer', ref('people'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plans_contact').on('plans').column('contact_id').execute();

  await withId(db.schema.createTable('plan_reviews'))
    .addColumn('plan_id', 'integer', (c) => ref('plans', 'cascade')(c.notNull()))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('score', 'real')
    .addColumn('level', 'text')
    .addColumn('progress', 'text')
    .addColumn('gap', 'text')
    .addColumn('next_actions', 'text')
    .addColumn('reviewed_by', 'integer', ref('people'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_reviews_plan').on('plan_reviews').columns(['plan_id', 'date']).execute();

  await withId(db.schema.createTable('holidays'))
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('audit_log'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer', ref('people'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

  // Replayed or double-clicked submissions: the key is claimed in the same transaction as the write.
  await db.schema
    .createTable('submissions')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('reply', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // §8 the default holiday list (issue 3); admins edit it with the `holiday` command.
  const now = new Date().toISOString();
  await db
    .insertInto('holidays')
    .values([
      { code: 'new_year', name: 'New Year', name_key: 'newyear', date: '01-01', created_at: now },
      { code: 'spring_festival', name: 'Spring Festival', name_key: 'springfestival', date: 'lunar:01-01', created_at: now },
      { code: 'dragon_boat', name: 'Dragon Boat Festival', name_key: 'dragonboatfestival', date: 'lunar:05-05', created_at: now },
      { code: 'mid_autumn', name: 'Mid-Autumn Festival', name_key: 'midautumnfestival', date: 'lunar:08-15', created_at: now },
      { code: 'national_day', name: 'National Day', name_key: 'nationalday', date: '10-01', created_at: now },
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'submissions', 'audit_log', 'holidays', 'plan_reviews', 'plans', 'ratings', 'next_steps',
    'activity_attendees', 'activity_contacts', 'activities', 'contacts', 'tier_changes', 'accounts', 'people',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
