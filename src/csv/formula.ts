/**
 * Cells a spreadsheet would run as a formula, neutralised the way OWASP's "CSV
 * Injection" guidance says: such a cell gets a leading apostrophe, which spreadsheets
 * read as "this is text". Formula-like is a cell that starts with tab, carriage return
 * or line feed, or whose first character after any leading whitespace is `=`, `+`,
 * `-` or `@`, ASCII or full-width (`＝ ＋ － ＠`, and the minus sign `−`).
 *
 * So that import gives back exactly what was exported, the rule looks through leading
 * apostrophes: a cell whose text after its leading apostrophes is formula-like gets one
 * more (`=x` → `'=x`, `'=x` → `''=x`), and import takes exactly one away from such a
 * cell and no other (`'=x` → `=x`, `''=x` → `'=x`, while `'`, `''` and `'abc` stay as
 * they are). The two are inverse: a cell that export leaves alone is never one import
 * changes.
 *
 * Export applies it to the free-text columns (names, people, notes); numbers, dates
 * and vocabulary ids are checked values that cannot hold a formula, so `-1` in a
 * rating column stays a number. Import applies it to every cell, as none of the
 * checked values starts with an apostrophe.
 */
const FORMULA_LIKE = /^'*(?:[\t\r\n]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\u2212])/u;

/** The cell as written to a CSV file: an apostrophe in front when a spreadsheet would read a formula. */
export function neutraliseCell(text: string): string {
  return FORMULA_LIKE.test(text) ? `'${text}` : text;
}

/** The text a neutralised cell stood for (see {@link neutraliseCell}); any other cell as it is. */
export function restoreCell(cell: string): string {
  return cell.charCodeAt(0) === 0x27 && FORMULA_LIKE.test(cell) ? cell.slice(1) : cell;
}
