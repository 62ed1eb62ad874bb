/** A contact's owners as written: a person's id, someone not yet known (by the text given), or none. */
export type OwnerRef = number | string | null;

/**
 * §2 `owner_a`, `owner_b` (optionally `owner_c`): two owners keep the relationship the
 * company's, not one employee's. One person in two of the slots hides a single-owner
 * relationship (§9 `single_owner`), so it is refused. Returns the first slot that
 * repeats an earlier one and that earlier slot, or `undefined`.
 * @example repeatedOwner([4, 4, null]) // { slot: 1, same: 0 } (owner_b is owner_a)
 */
export function repeatedOwner(owners: readonly OwnerRef[]): { slot: number; same: number } | undefined {
  const seen = new Map<string, number>();
  for (const [i, owner] of owners.entries()) {
    if (owner === null) continue;
    const key = typeof owner === 'number' ? `#${owner}` : owner.trim().replace(/^@/, '').toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) return { slot: i, same: earlier };
    seen.set(key, i);
  }
  return undefined;
}
