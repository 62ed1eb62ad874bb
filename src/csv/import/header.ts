import { DIMENSIONS } from '../../domain/model.ts';
import type { Message } from '../../core/errors.ts';
import { labelKey } from '../../i18n/index.ts';
import { COLUMNS, IMPORT_KINDS, REQUIRED, type ImportKind } from '../columns.ts';

/** A problem of the header: the column it is about (one, several or the header as a whole) and why. */
export interface HeaderProblem {
  column?: string;
  columns?: string[];
  reason: Message;
}


/**
 * What is wrong with a file's header (lower-cased names) for this kind of import, each
 * problem as the column(s) it is about and a message (import.problem.*) the edge
 * translates; none when it is right. A header that is another kind's (a contacts file
 * imported as accounts) is one problem that says so, not one per column that does not belong.
 */
export function headerProblems(kind: ImportKind, header: string[]): HeaderProblem[] {
  const known: readonly string[] = COLUMNS[kind];
  const expected = known.join(', ');
  const unknown = [...new Set(header.filter((h) => !known.includes(h)))];
  const other = unknown.length > 0 ? IMPORT_KINDS.find((k) => k !== kind && fits(k, header)) : undefined;
  if (other) {
    const values = { other, kind, columns: unknown.join(', '), known: expected, other_file: { code: labelKey('import.file_of', other) }, row: { code: labelKey('import.row_of', kind) }, rows: { code: labelKey('import.rows_of', kind) } };
    return [{ reason: { code: unknown.length === 1 ? 'import.problem.other_kind_one' : 'import.problem.other_kind_many', values } }];
  }
  const problems: HeaderProblem[] = [];
  if (unknown.length === 1) problems.push({ column: unknown[0]!, reason: { code: 'import.problem.unknown_column', values: { known: expected } } });
  else if (unknown.length > 1) problems.push({ columns: unknown, reason: { code: 'import.problem.unknown_columns', values: { known: expected } } });
  for (const column of REQUIRED[kind]) if (!header.includes(column)) problems.push({ column, reason: { code: 'import.problem.missing' } });
  const twice = header.filter((h, i) => header.indexOf(h) !== i);
  for (const column of new Set(twice)) problems.push({ column, reason: { code: 'import.problem.twice' } });
  if (kind === 'ratings' && !header.includes('level') && !DIMENSIONS.some((d) => header.includes(d))) {
    problems.push({ column: 'level', reason: { code: 'import.problem.missing_level' } });
  }
  return problems;
}

/** Is this header a right one for `kind`: every column its own, the required ones there? */
function fits(kind: ImportKind, header: string[]): boolean {
  const known: readonly string[] = COLUMNS[kind];
  return header.every((h) => known.includes(h)) && REQUIRED[kind].every((c) => header.includes(c));
}
