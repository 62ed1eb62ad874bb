import { hash as digest } from 'node:crypto';
import { distinct, sortShort } from '../domain/collections.ts';
import { DIMENSIONS, type Dimension } from '../domain/model.ts';

/**
 * What a record says, hashed: the natural key by which a re-imported activity or
 * rating is recognised (interfaces.md: re-importing the same file changes nothing).
 */
function hash(parts: unknown[]): string {
  return digest('sha1', JSON.stringify(parts), 'hex').slice(0, 32);
}

/**
 * Ids without repeats, in order: the same people in any order are the same key. A copy
 * sorted in place: an import keys every row (a Set and Array#sort each time cost it a
 * tenth of its garbage).
 */
const sortedIds = (ids: readonly number[]) => sortShort(distinct([...ids]));

export function activityContentKey(a: {
  accountId: number;
  date: string;
  type: string;
  stage: string | null;
  contactIds: readonly number[];
  attendeeIds: readonly number[];
  purpose: string | null;
  summary: string | null;
}): string {
  return hash([a.accountId, a.date, a.type, a.stage, sortedIds(a.contactIds), sortedIds(a.attendeeIds), a.purpose, a.summary]);
}

export function ratingContentKey(r: { contactId: number; date: string; ratedBy: number | null; values: Partial<Record<Dimension, number>> }): string {
  return hash([r.contactId, r.date, r.ratedBy, DIMENSIONS.map((d) => r.values[d] ?? null)]);
}
