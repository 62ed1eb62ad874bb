import type { Message } from '../../core/errors.ts';
import { matchId } from '../../core/resolve.ts';
import { isIsoDate, parseBirthday, type IsoDate } from '../../domain/dates.ts';
import { cleanText, forbiddenInName } from '../../domain/text.ts';
import { LIST_SEPARATOR } from '../columns.ts';

/**
 * Cell readers: each reads one column of a row, checks it and names that column when
 * it fails (a {@link CellError}), which the import reports with the row's line.
 */

/** A record of a file, by (lower-case) header name. */
export type Row = Record<string, string>;

/** A bad cell: the column and why, as a message (import.problem.*) translated where it is shown. */
export class CellError extends Error {
  constructor(readonly column: string, readonly reason: Message) {
    super(reason.code);
  }
}

export const has = (row: Row, column: string) => column in row;
export const text = (row: Row, column: string): string | null => (row[column] ? row[column]! : null);

export function required(row: Row, column: string): string {
  const value = row[column];
  if (!value) throw new CellError(column, { code: 'import.problem.required' });
  return value;
}

/** A new name: refused when it holds a control or invisible character (domain/text.ts). */
export function nameCell(row: Row, column: string): string {
  const value = required(row, column);
  const bad = forbiddenInName(value);
  if (bad) throw new CellError(column, { code: 'import.problem.control_char', values: { char: bad } });
  return value;
}

/** Free text without control characters; only multi-line text keeps tab and line breaks. */
export function freeText(row: Row, column: string, multiline: boolean): string | null {
  const value = text(row, column);
  return value === null ? null : cleanText(value, { multiline }) || null;
}

export function choice<T extends string>(row: Row, column: string, group: string, ids: readonly T[]): T | null {
  const value = text(row, column);
  if (value === null) return null;
  const id = matchId(group, ids, value);
  if (!id) throw new CellError(column, { code: 'import.problem.not_one_of', values: { value, values: ids.join(', ') } });
  return id;
}

export function integer(row: Row, column: string, min: number, max: number): number | null {
  const value = text(row, column);
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new CellError(column, { code: 'import.problem.not_whole_number', values: { value, min, max } });
  return n;
}

export function date(row: Row, column: string): IsoDate {
  const value = required(row, column);
  if (!isIsoDate(value)) throw new CellError(column, { code: 'import.problem.not_date', values: { value } });
  return value;
}

export function flag(row: Row, column: string): number {
  const value = text(row, column)?.toLowerCase();
  if (value === undefined || value === null || ['no', 'false', '0', '否'].includes(value)) return 0;
  if (['yes', 'true', '1', '是'].includes(value)) return 1;
  throw new CellError(column, { code: 'import.problem.not_yes_no', values: { value } });
}

/** A list cell's items, trimmed, blanks left out. */
export function list(row: Row, column: string): string[] {
  const cell = row[column];
  if (!cell) return [];
  const items = cell.split(LIST_SEPARATOR);
  let kept = 0;
  for (const item of items) {
    const trimmed = item.trim();
    if (trimmed) items[kept++] = trimmed;
  }
  items.length = kept;
  return items;
}

export function birthday(row: Row): { birthday: string | null; birth_year: number | null } {
  const value = text(row, 'birthday');
  if (value === null) return { birthday: null, birth_year: null };
  const parsed = parseBirthday(value);
  if (!parsed) throw new CellError('birthday', { code: 'import.problem.not_birthday', values: { value } });
  return { birthday: parsed.monthDay, birth_year: parsed.year };
}
