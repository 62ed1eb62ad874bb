import type { Kysely } from 'kysely';

/** What an attitude is computed from (§3): a rating's contact, date, id, rater and six dimensions. */
const ATTITUDE_COLUMNS = ['contact_id', 'date', 'id', 'rated_by', 'acceptance', 'participation', 'project_support', 'information', 'guidance', 'competition'];

/**
 * The ratings of a set of contacts since a date (`listRatingsForAttitude`: a brief, a digest
 * of 200 accounts, every account's) are read from one index that holds every column the
 * attitude needs, `ratings_contact_date_values`, which replaces `(contact_id, date)`. From
 * that one each rating was fetched from the table at random: at 100,000 accounts 7.5 s of a
 * digest of every account for 1.9 M ratings, 4.0 s from this index alone (bench/README.md,
 * ×10), for ~3 % more file. Frozen: never edit after it lands.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ratings_contact_date_values').on('ratings').columns(ATTITUDE_COLUMNS).execute();
  await db.schema.dropIndex('ratings_contact_date').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ratings_contact_date').on('ratings').columns(['contact_id', 'date']).execute();
  await db.schema.dropIndex('ratings_contact_date_values').execute();
}
