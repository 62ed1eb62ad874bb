/**
 * Where a person's name is mentioned in stored text, for erasure on request (issue 14).
 * A mention is the name's words in any letter case, with any spacing or punctuation
 * between them ("TOM o’BRIEN" for "Tom O'Brien"), in full-width or half-width letters,
 * composed or decomposed accents, and as JSON writes it once or twice over (`\"`,
 * `\\`, `\n`) or with `\uXXXX` escapes (`\u738b\u5c0f\u660e` for 王小明).
 *
 * Words of spaced scripts (Latin, Greek, Cyrillic, digits) must stand as whole words, so
 * forgetting "Ann" leaves "Annual" alone; Chinese and Japanese have no spaces between
 * words, so a Han name matches wherever it is written. A mention never starts right after
 * a backslash: JSON's escapes (`\n`, `\u00e9`) stay whole and the JSON stays valid.
 */

/** A letter of a script that separates words by spaces (or a digit, or an accent on one). */
const SPACED_CHAR = String.raw`[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}\p{M}]`;
const SPACED = new RegExp(`^${SPACED_CHAR}$`, 'u');
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
/** One character between two words: punctuation, a space, or a JSON escape of one. */
const GAP_CHAR = String.raw`(?:\\[bfnrt]|\\u[0-9a-fA-F]{4}|[^\p{L}\p{N}\p{M}])`;
/** Not in the middle of a JSON escape: after an odd run of backslashes, or inside `\uXXXX`. */
const NOT_IN_ESCAPE = String.raw`(?<!(?:^|[^\\])(?:\\\\)*\\)(?<!\\u[0-9a-fA-F]{0,3})`;
/** Not inside a longer word of a spaced script (a letter after an escape such as `\n` does not count). */
const WORD_START = String.raw`(?:(?<!${SPACED_CHAR})|(?<=\\[bfnrt])|(?<=\\u[0-9a-fA-F]{4}))`;
const WORD_END = `(?!${SPACED_CHAR})`;

const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** `\uXXXX` as JSON writes a character (two escapes for one outside the BMP). */
function jsonEscapes(char: string): string {
  let out = '';
  for (let i = 0; i < char.length; i++) {
    const hex = char.charCodeAt(i).toString(16).padStart(4, '0');
    out += `\\\\u${[...hex].map((h) => (/[a-f]/.test(h) ? `[${h}${h.toUpperCase()}]` : h)).join('')}`;
  }
  return out;
}

/** Every way one character of a name can be written. */
function charPattern(char: string): string {
  const forms = new Set<string>();
  // Case by hand rather than with the `i` flag: with it, compiling the Unicode classes below takes milliseconds.
  for (const cased of new Set([char, char.toLowerCase(), char.toUpperCase()])) {
    if ([...cased].length > 1 && cased !== char.normalize('NFD')) continue; // ß → SS is another spelling, not a case
    const code = cased.codePointAt(0)!;
    forms.add(cased).add(cased.normalize('NFD'));
    if (code >= 0x21 && code <= 0x7e) forms.add(String.fromCodePoint(code + 0xfee0)); // full-width
    if (code >= 0xff01 && code <= 0xff5e) forms.add(String.fromCodePoint(code - 0xfee0)); // half-width
  }
  const singles = [...forms].filter((f) => [...f].length === 1);
  const alternatives = [...forms].filter((f) => [...f].length > 1).map(escapeRegex);
  if (char.codePointAt(0)! > 0x7f) alternatives.push(jsonEscapes(char));
  const chars = singles.length === 1 ? escapeRegex(singles[0]!) : `[${singles.map((c) => c.replace(/[\\\]\[^-]/g, '\\$&')).join('')}]`;
  return alternatives.length === 0 ? chars : `(?:${[chars, ...alternatives].join('|')})`;
}

/**
 * Cheap first looks: the longest word of the name, without the look-behinds that the full
 * pattern tries at every position. A text without it cannot mention the name (forget reads
 * every free text of the database, most of which never does).
 */
const QUICK = new WeakMap<RegExp, RegExp>();

/**
 * A global pattern of every mention of `name`, in any letter case.
 * @example 'Met TOM o’brien twice'.replace(mentionPattern("Tom O'Brien"), '[erased]') // 'Met [erased] twice'
 */
export function mentionPattern(name: string): RegExp {
  const normal = name.normalize('NFC').trim();
  const words = [...normal.matchAll(WORD)];
  if (words.length === 0) return new RegExp(escapeRegex(normal || name), 'giu'); // punctuation only: no case to ignore
  let source = '';
  let quick = { length: 0, source: '' };
  for (const [i, word] of words.entries()) {
    if (i > 0) {
      const previous = words[i - 1]!;
      const gap = normal.slice(previous.index + previous[0].length, word.index);
      // Two words of a spaced script need something between them ("Li Na" is not "Lina").
      const needed = SPACED.test(previous[0].at(-1)!) && SPACED.test(word[0][0]!) ? 1 : 0;
      source += `${GAP_CHAR}{${needed},${Math.max(3, gap.length * 7)}}`;
    }
    // Inside a word of an unspaced script a space may slip in: "王 小明" is 王小明.
    const chars = [...word[0]];
    const wordSource = chars.map((char, j) => (j > 0 && !SPACED.test(char) && !SPACED.test(chars[j - 1]!) ? String.raw`\s{0,2}` : '') + charPattern(char)).join('');
    source += wordSource;
    if (chars.length > quick.length) quick = { length: chars.length, source: wordSource };
  }
  const first = words[0]![0][0]!;
  const last = words.at(-1)![0].at(-1)!;
  const pattern = new RegExp(`${NOT_IN_ESCAPE}${SPACED.test(first) ? WORD_START : ''}${source}${SPACED.test(last) ? WORD_END : ''}`, 'gu');
  QUICK.set(pattern, new RegExp(quick.source, 'u'));
  return pattern;
}

/** Does `text` mention the name of `pattern`? */
export function mentions(text: string, pattern: RegExp): boolean {
  if (QUICK.get(pattern)?.test(text) === false) return false;
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}

/**
 * Is `other` (a name of another record) a longer name that contains this one, such as
 * "Tom O'Brien Jr" for "Tom O'Brien"? Its mentions are then someone else's and kept.
 * A name that is all mention (the same name, in another case or spelling) is not.
 */
export function containsAsPart(other: string, pattern: RegExp): boolean {
  return mentions(other, pattern) && /[\p{L}\p{N}]/u.test(other.replace(pattern, ''));
}

/**
 * `text` with every mention of `pattern` replaced by `replacement`, except mentions that
 * lie inside a mention of one of the `keep` patterns (the longer names of other records).
 */
export function eraseMentions(text: string, pattern: RegExp, replacement: string, keep: readonly RegExp[] = []): string {
  if (!mentions(text, pattern)) return text;
  const kept: Array<[number, number]> = [];
  for (const other of keep) for (const m of text.matchAll(other)) kept.push([m.index, m.index + m[0].length]);
  return text.replace(pattern, (match: string, offset: number) =>
    kept.some(([from, to]) => offset >= from && offset + match.length <= to) ? match : replacement,
  );
}
