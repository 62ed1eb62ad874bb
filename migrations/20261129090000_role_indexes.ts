import type { Kysely } from 'kysely';

/** The columns that say who holds a role on an account or owns a contact (mcr-model §2, §4). */
const ROLE_COLUMNS = {
  accounts: ['account_manager_id', 'solution_manager_id', 'delivery_manager_id', 'sponsor_id'],
  contacts: ['owner_a_id', 'owner_b_id', 'owner_c_id'],
} as const;

/**
 * An index on each: "the accounts a person holds a role on or owns a contact of" (Home, `mine`
 * scopes) is an OR over these seven columns, which read every account and every contact
 * without them: 17–20 ms a Home tab at 10,000 accounts, ten times that at 100,000, and the
 * largest share of the bot's SQLite time under load (bench --load, 2026-11-29). With them
 * SQLite and PostgreSQL answer each term from its index and join the few rows found.
 * Frozen: never edit after it lands.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, columns] of Object.entries(ROLE_COLUMNS)) {
    for (const column of columns) await db.schema.createIndex(`${table}_${column}`).on(table).column(column).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, columns] of Object.entries(ROLE_COLUMNS)) {
    for (const column of columns) await db.schema.dropIndex(`${table}_${column}`).execute();
  }
}
