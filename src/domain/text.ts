/**
 * Which characters people's words may hold (issue 14, "clean input"). Names (accounts,
 * contacts, holidays) are looked up, compared, listed and posted everywhere, so a
 * character that cannot be seen or that changes how the text around it is shown is
 * refused there; free text (notes, summaries, next steps, reasons) only loses such
 * characters, so nothing a person typed is refused for an invisible slip.
 *
 * The characters: every control character (C0 U+0000–U+001F with NUL, tab and line
 * breaks; DEL; C1 U+0080–U+009F), the bidirectional embeddings, overrides and isolates
 * and the direction marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C: they
 * reorder what is shown, "Trojan Source"), the line and paragraph separators
 * (U+2028, U+2029) and the invisible ones (zero-width space U+200B, word joiner and
 * invisible operators U+2060–U+2064, byte-order mark U+FEFF). Zero-width joiner and
 * non-joiner (U+200C, U+200D) stay: scripts and emoji need them.
 */
const INVISIBLE = '\\u061C\\u200B\\u200E\\u200F\\u2028\\u2029\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF';
const NOT_IN_NAMES = new RegExp(`[\\p{Cc}${INVISIBLE}]`, 'u');
/** Whitespace controls, which free text keeps (multi-line) or turns into a space (one line). */
const BREAKS = /[\t\n\r\v\f\u0085\u2028\u2029]/g;
const DROPPED = new RegExp(`[\\p{Cc}${INVISIBLE}]`, 'gu');
const DROPPED_MULTILINE = new RegExp(`[^\\P{Cc}\\t\\n\\r]|[${INVISIBLE}]`, 'gu');

/** The first character a name may not hold, as `U+0000`, or undefined for a clean name. */
export function forbiddenInName(name: string): string | undefined {
  const found = NOT_IN_NAMES.exec(name);
  return found ? `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/**
 * Free text without control and invisible characters. Multi-line text keeps tab, line
 * feed and carriage return (and turns the other line breaks into a line feed); one-line
 * text turns every line break and tab into a space, so words stay apart.
 *
 * @example cleanText('a\u0000b\u202Ec\nd', { multiline: true }) // 'abc\nd'
 */
export function cleanText(text: string, options: { multiline: boolean }): string {
  // Nearly all text has none of them: one test, no copy.
  if (!NOT_IN_NAMES.test(text)) return text;
  if (options.multiline) return text.replace(/[\v\f\u0085\u2028\u2029]/g, '\n').replace(DROPPED_MULTILINE, '');
  return text.replace(BREAKS, ' ').replace(DROPPED, '');
}
