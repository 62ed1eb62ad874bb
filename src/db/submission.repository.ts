import type { DbOrTrx } from './create-db.ts';

/**
 * Claims a submission key inside the caller's transaction. Returns the reply stored
 * by an earlier claim of the same key (a retry or a double click), or `undefined`
 * when this is the first time and the caller should do the work.
 */
export async function claimSubmission(db: DbOrTrx, key: string, command: string, now: Date): Promise<{ reply: string | null } | undefined> {
  const existing = await db.selectFrom('submissions').select('reply').where('key', '=', key).executeTakeFirst();
  if (existing) return existing;
  await db.insertInto('submissions').values({ key, command, reply: null, created_at: now.toISOString() }).execute();
  return undefined;
}

/** The reply stored for a submission key, when it was claimed and committed already. */
export async function findSubmission(db: DbOrTrx, key: string): Promise<{ reply: string | null } | undefined> {
  return db.selectFrom('submissions').select('reply').where('key', '=', key).executeTakeFirst();
}

export async function storeSubmissionReply(db: DbOrTrx, key: string, reply: string): Promise<void> {
  await db.updateTable('submissions').set({ reply }).where('key', '=', key).execute();
}
