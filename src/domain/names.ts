const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Forgiving name matching (interfaces.md: case, spacing, a unique prefix, Chinese or
 * Latin). The key keeps letters and digits of any script, lower-cased, without accents,
 * spaces or punctuation: "ACME  Corp." → "acmecorp", "华为 技术" → "华为技术".
 */
export function nameKey(name: string): string {
  // Printable ASCII has no marks and nothing for normalisation to change: the same key, a
  // fraction of the work (every name of an imported file is keyed).
  if (PRINTABLE_ASCII.test(name)) return name.toLowerCase().replace(/[^a-z0-9]/g, '') || name.trim().toLowerCase();
  const key = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
  return key || name.trim().toLowerCase();
}

/** Edit distance, for "did you mean" lists. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest names to a query, best first: containing it, then by edit distance. */
export function closestNames<T extends { name: string }>(query: string, candidates: readonly T[], max = 5): T[] {
  const q = nameKey(query);
  const scored = candidates.map((c) => {
    const key = nameKey(c.name);
    const contains = key.includes(q) || q.includes(key);
    return { c, score: (contains ? 0 : 100) + editDistance(q, key.slice(0, Math.max(q.length, 1) + 2)) };
  });
  const limit = Math.max(2, Math.ceil(q.length / 2));
  return scored
    .filter((s) => s.score < 100 + limit)
    .sort((a, b) => a.score - b.score || a.c.name.localeCompare(b.c.name))
    .slice(0, max)
    .map((s) => s.c);
}
