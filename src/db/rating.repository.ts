import { addDays, type IsoDate } from '../domain/dates.ts';
import { DIMENSIONS, type Dimension } from '../domain/model.ts';
import type { Rating } from '../domain/types.ts';
import { ratingContentKey } from './content-key.ts';
import type { DbOrTrx } from './create-db.ts';
import type { RatingRow } from './schema.ts';

/** The columns a {@link Rating} is made of (not its note, content key or when it was written). */
const RATING_COLUMNS = ['id', 'contact_id', 'rated_by', 'date', ...DIMENSIONS] as const;

export function toRating(row: Pick<RatingRow, (typeof RATING_COLUMNS)[number]>): Rating {
  const values: Partial<Record<Dimension, number>> = {};
  for (const d of DIMENSIONS) if (row[d] !== null) values[d] = row[d];
  return { id: row.id, contactId: row.contact_id, ratedBy: row.rated_by, date: row.date, values };
}

export interface NewRating {
  contactId: number;
  ratedBy: number | null;
  date: IsoDate;
  values: Partial<Record<Dimension, number>>;
  note: string | null;
}

/** §3 one rating of any subset of the six dimensions. */
export async function insertRating(db: DbOrTrx, rating: NewRating, now: Date): Promise<Rating> {
  const dims = Object.fromEntries(DIMENSIONS.map((d) => [d, rating.values[d] ?? null])) as Record<Dimension, number | null>;
  const row = await db
    .insertInto('ratings')
    .values({ contact_id: rating.contactId, rated_by: rating.ratedBy, date: rating.date, ...dims, note: rating.note, created_at: now.toISOString(), content_key: ratingContentKey(rating) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRating(row);
}

/**
 * The query of {@link listRatingsForAttitude}: its columns are all in
 * `ratings_contact_date_values`, so no rating is fetched from the table (its plan is tested).
 */
export const ratingsForAttitudeQuery = (db: DbOrTrx, contactIds: readonly number[], from: IsoDate, to: IsoDate) =>
  db.selectFrom('ratings').select(RATING_COLUMNS).where('contact_id', 'in', [...contactIds]).where('date', '>', from).where('date', '<=', to).orderBy('date').orderBy('id');

/**
 * Ratings of these contacts that can still count on `today` or at the trend's
 * look-back date (§3): from `windowDays + lookbackDays` before today.
 */
export async function listRatingsForAttitude(
  db: DbOrTrx,
  contactIds: readonly number[],
  today: IsoDate,
  windowDays: number,
  lookbackDays: number,
): Promise<Rating[]> {
  if (contactIds.length === 0) return [];
  const rows = await ratingsForAttitudeQuery(db, contactIds, addDays(today, -(windowDays + lookbackDays)), today).execute();
  return rows.map(toRating);
}

/** A rating with its note, for its edit form. */
export async function findRatingById(db: DbOrTrx, id: number): Promise<(Rating & { note: string | null }) | undefined> {
  const row = await db.selectFrom('ratings').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { ...toRating(row), note: row.note };
}

/** Issue 15: a rating corrected by its author or an admin (the dimensions not given become unrated). */
export async function updateRating(db: DbOrTrx, id: number, rating: NewRating): Promise<void> {
  const dims = Object.fromEntries(DIMENSIONS.map((d) => [d, rating.values[d] ?? null])) as Record<Dimension, number | null>;
  await db.updateTable('ratings').set({ date: rating.date, ...dims, note: rating.note, content_key: ratingContentKey(rating) }).where('id', '=', id).execute();
}
