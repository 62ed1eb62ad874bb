import type { Schedule } from '../domain/schedule.ts';
import type { Tier } from '../domain/model.ts';
import type { Locale } from '../i18n/index.ts';
import type { DbOrTrx } from './create-db.ts';
import type { DigestSubscriptionRow } from './schema.ts';

/** Which accounts a digest follows. */
export type DigestScope = { kind: 'all' } | { kind: 'mine'; personId: number } | { kind: 'tier'; tier: Tier } | { kind: 'accounts'; accountIds: number[] };

export interface DigestSubscription {
  id: number;
  platform: 'slack' | 'teams';
  channelId: string;
  schedule: Schedule;
  scope: DigestScope;
  locale: Locale;
  createdBy: number | null;
  createdAt: string;
  lastSentAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

function toSubscription(row: DigestSubscriptionRow): DigestSubscription {
  const scope: DigestScope =
    row.scope === 'tier' ? { kind: 'tier', tier: row.scope_value as Tier }
    : row.scope === 'accounts' ? { kind: 'accounts', accountIds: JSON.parse(row.scope_value ?? '[]') as number[] }
    : row.scope === 'mine' ? { kind: 'mine', personId: Number(row.scope_value ?? row.created_by) }
    : { kind: 'all' };
  return {
    id: row.id,
    platform: row.platform,
    channelId: row.channel_id,
    schedule: { frequency: row.frequency, weekday: row.weekday, time: row.time, timezone: row.timezone },
    scope,
    locale: row.locale as Locale,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastSentAt: row.last_sent_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
  };
}

function scopeColumns(scope: DigestScope): { scope: DigestSubscriptionRow['scope']; scope_value: string | null } {
  switch (scope.kind) {
    case 'all':
      return { scope: 'all', scope_value: null };
    case 'mine':
      return { scope: 'mine', scope_value: String(scope.personId) };
    case 'tier':
      return { scope: 'tier', scope_value: scope.tier };
    case 'accounts':
      return { scope: 'accounts', scope_value: JSON.stringify(scope.accountIds) };
  }
}

/** One digest a channel: subscribing again replaces its schedule, scope and language. */
export async function saveSubscription(
  db: DbOrTrx,
  sub: Pick<DigestSubscription, 'platform' | 'channelId' | 'schedule' | 'scope' | 'locale' | 'createdBy'>,
  now: Date,
): Promise<DigestSubscription> {
  const columns = {
    frequency: sub.schedule.frequency,
    weekday: sub.schedule.weekday,
    time: sub.schedule.time,
    timezone: sub.schedule.timezone,
    ...scopeColumns(sub.scope),
    locale: sub.locale,
    created_by: sub.createdBy,
    created_at: now.toISOString(),
  };
  const row = await db
    .insertInto('digest_subscriptions')
    .values({ platform: sub.platform, channel_id: sub.channelId, ...columns })
    .onConflict((oc) => oc.columns(['platform', 'channel_id']).doUpdateSet({ ...columns, last_error: null, last_error_at: null }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSubscription(row);
}

export async function findSubscription(db: DbOrTrx, platform: DigestSubscription['platform'], channelId: string): Promise<DigestSubscription | undefined> {
  const row = await db.selectFrom('digest_subscriptions').selectAll().where('platform', '=', platform).where('channel_id', '=', channelId).executeTakeFirst();
  return row && toSubscription(row);
}

export async function deleteSubscription(db: DbOrTrx, id: number): Promise<void> {
  await db.deleteFrom('digest_subscriptions').where('id', '=', id).execute();
}

export async function listSubscriptions(db: DbOrTrx): Promise<DigestSubscription[]> {
  return (await db.selectFrom('digest_subscriptions').selectAll().orderBy('id').execute()).map(toSubscription);
}

export async function recordDigestSent(db: DbOrTrx, id: number, now: Date): Promise<void> {
  await db.updateTable('digest_subscriptions').set({ last_sent_at: now.toISOString(), last_error: null, last_error_at: null }).where('id', '=', id).execute();
}

export async function recordDigestError(db: DbOrTrx, id: number, error: string, now: Date): Promise<void> {
  await db.updateTable('digest_subscriptions').set({ last_error: error.slice(0, 500), last_error_at: now.toISOString() }).where('id', '=', id).execute();
}
