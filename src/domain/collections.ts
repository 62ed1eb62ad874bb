/**
 * Sorts a short list of numbers in place, smallest first, and returns it. Array#sort
 * allocates on every call; a digest or an import sorts millions of lists of two or three.
 */
export function sortShort(values: number[]): number[] {
  for (let i = 1; i < values.length; i++) {
    const value = values[i]!;
    let at = i;
    for (; at > 0 && values[at - 1]! > value; at--) values[at] = values[at - 1]!;
    values[at] = value;
  }
  return values;
}

/**
 * The values without repeats, in their order: the array itself when it has none (a file
 * may name one person twice, or two spellings of one contact, but rarely does).
 */
export function distinct<T>(values: T[]): T[] {
  return values.every((v, i) => values.indexOf(v) === i) ? values : [...new Set(values)];
}

/** Items grouped by a key, each group in the items' order. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
