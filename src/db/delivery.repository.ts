import type { DbOrTrx } from './create-db.ts';
import type { DeliveryRow } from './schema.ts';

/** Waits between attempts after a failed send; after the last, the period is given up (and says so). */
export const RETRY_BACKOFF_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000] as const;

/**
 * Claims the send of `key` (a digest's period, a person's reminder day) for this
 * instance, in one transaction: a new key is inserted; an existing one is taken only
 * when its holder's lease ran out (it died between claim and send) or its retry is
 * due. The primary key makes two instances sharing the database unable to both win.
 * A row rather than `FOR UPDATE SKIP LOCKED` or an advisory lock: it outlives the
 * process and the connection, so a crash between claim and send is seen (and taken
 * over after the lease) on SQLite and PostgreSQL alike.
 */
export async function claimDelivery(db: DbOrTrx, key: string, instance: string, now: Date, leaseMs: number): Promise<boolean> {
  return (await takeDelivery(db, key, instance, now, leaseMs)) !== undefined;
}

/**
 * {@link claimDelivery}, saying how the claim was won: `new` (first claim), `taken_over`
 * (the holder's lease ran out), `retry` (a failed send whose backoff ran out); or
 * `undefined` when it is another's or done. Two statements rather than one OR, so the
 * metrics can tell a takeover from a retry; each is atomic, so the claim stays single.
 */
export async function takeDelivery(db: DbOrTrx, key: string, instance: string, now: Date, leaseMs: number): Promise<'new' | 'taken_over' | 'retry' | undefined> {
  const at = now.toISOString();
  const lease = new Date(now.getTime() + leaseMs).toISOString();
  const inserted = await db
    .insertInto('deliveries')
    .values({ key, status: 'claimed', claimed_by: instance, lease_until: lease, created_at: at })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return 'new';
  const claim = db.updateTable('deliveries').set({ status: 'claimed', claimed_by: instance, lease_until: lease }).where('key', '=', key);
  const takenOver = await claim.where('status', '=', 'claimed').where('lease_until', '<', at).executeTakeFirst();
  if (Number(takenOver.numUpdatedRows) === 1) return 'taken_over';
  const retried = await claim.where('status', '=', 'failed').where('next_attempt_at', 'is not', null).where('next_attempt_at', '<=', at).executeTakeFirst();
  return Number(retried.numUpdatedRows) === 1 ? 'retry' : undefined;
}

/** Another message of a split send is posted. */
export async function markPartsSent(db: DbOrTrx, key: string, parts: number): Promise<void> {
  await db.updateTable('deliveries').set({ parts_sent: parts }).where('key', '=', key).execute();
}

export async function markDelivered(db: DbOrTrx, key: string, now: Date): Promise<void> {
  await db.updateTable('deliveries').set({ status: 'sent', sent_at: now.toISOString(), lease_until: null, error: null }).where('key', '=', key).execute();
}

/** A failed send: retried after the next backoff, or given up after the last. Returns when it will be retried. */
export async function markFailed(db: DbOrTrx, key: string, error: string, now: Date): Promise<Date | null> {
  const row = await db.selectFrom('deliveries').select('attempts').where('key', '=', key).executeTakeFirstOrThrow();
  const wait = RETRY_BACKOFF_MS[row.attempts];
  const retryAt = wait === undefined ? null : new Date(now.getTime() + wait);
  await db
    .updateTable('deliveries')
    .set({ status: 'failed', attempts: row.attempts + 1, error: error.slice(0, 500), lease_until: null, next_attempt_at: retryAt?.toISOString() ?? null })
    .where('key', '=', key)
    .execute();
  return retryAt;
}

/** Records a send that will not happen (too late, no one to reach); true the first time, so it is logged once. */
export async function markSkipped(db: DbOrTrx, key: string, reason: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('deliveries')
    .values({ key, status: 'skipped', error: reason, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ status: 'skipped', error: reason, lease_until: null }).where('deliveries.status', '!=', 'skipped'))
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** One scheduled send (a digest's period, a person's reminder day) as the jobs see it. */
export interface Delivery {
  key: string;
  status: DeliveryRow['status'];
  attempts: number;
  /** Messages of a split send already posted: a retry goes on from the next. */
  partsSent: number;
  error: string | null;
}

function toDelivery(row: DeliveryRow): Delivery {
  return { key: row.key, status: row.status, attempts: row.attempts, partsSent: row.parts_sent, error: row.error };
}

export async function findDelivery(db: DbOrTrx, key: string): Promise<Delivery | undefined> {
  const row = await db.selectFrom('deliveries').selectAll().where('key', '=', key).executeTakeFirst();
  return row && toDelivery(row);
}
