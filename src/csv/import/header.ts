import { DIMENSIONS } from '../../domain/model.ts';
import { COLUMNS, IMPORT_KINDS, REQUIRED, type ImportKind } from '../columns.ts';

/** A kind's rows, in the singular: "not account columns". */
const ROW_NAME: Record<ImportKind, string> = { accounts: 'account', contacts: 'contact', activities: 'activity', ratings: 'rating' };

/**
 * What is wrong with a file's header (lower-cased names) for this kind of import, each
 * problem as the text that follows its line number (`, column x: missing`); none when
 * it is right. A header that is another kind's (a contacts file imported as accounts)
 * is one problem that says so, not one per column that does not belong.
 */
export function headerProblems(kind: ImportKind, header: string[]): string[] {
  const known: readonly string[] = COLUMNS[kind];
  const unknown = [...new Set(header.filter((h) => !known.includes(h)))];
  const other = unknown.length > 0 ? IMPORT_KINDS.find((k) => k !== kind && fits(k, header)) : undefined;
  if (other) {
    const row = ROW_NAME[kind];
    const which = unknown.length === 1 ? `column ${unknown[0]} is not ${/^[aeiou]/.test(row) ? 'an' : 'a'} ${row} column` : `columns ${unknown.join(', ')} are not ${row} columns`;
    return [`: this looks like ${/^[aeiou]/.test(other) ? 'an' : 'a'} ${other} file: ${which} (import it as ${other}; ${kind} take: ${known.join(', ')})`];
  }
  const problems: string[] = [];
  if (unknown.length === 1) problems.push(`, column ${unknown[0] || '(blank)'}: unknown column (expected: ${known.join(', ')})`);
  else if (unknown.length > 1) problems.push(`, columns ${unknown.map((h) => h || '(blank)').join(', ')}: unknown columns (expected: ${known.join(', ')})`);
  for (const column of REQUIRED[kind]) if (!header.includes(column)) problems.push(`, column ${column}: missing`);
  const twice = header.filter((h, i) => header.indexOf(h) !== i);
  for (const column of new Set(twice)) problems.push(`, column ${column}: appears twice`);
  if (kind === 'ratings' && !header.includes('level') && !DIMENSIONS.some((d) => header.includes(d))) {
    problems.push(', column level: missing (give level, or the six dimension columns)');
  }
  return problems;
}

/** Is this header a right one for `kind`: every column its own, the required ones there? */
function fits(kind: ImportKind, header: string[]): boolean {
  const known: readonly string[] = COLUMNS[kind];
  return header.every((h) => known.includes(h)) && REQUIRED[kind].every((c) => header.includes(c));
}
