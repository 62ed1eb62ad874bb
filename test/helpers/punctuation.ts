/**
 * Chinese text takes full-width punctuation (，。：；（）！？ and “” for quotes); ASCII
 * stays inside code: command lines, flags, placeholders, numbers, dates. A character of
 * ASCII punctuation next to a Chinese character (or one space away) is the sign of a
 * slip, in the catalog or in text our code composes around translated words.
 */
const CJK = '[\\p{Script=Han}\\u3000-\\u303F\\uFF00-\\uFFEF]';
const SLIP = `${CJK} ?[,.:;()!?"]|[,.:;()!?"] ?${CJK}`;

/** Where a text slips: each offending stretch with a character either side; `allowed` (command syntax) is skipped. */
export function punctuationSlips(text: string, allowed: readonly string[] = []): string[] {
  let rest = text;
  for (const syntax of allowed) rest = rest.split(syntax).join(' ');
  return [...rest.matchAll(new RegExp(`.?(?:${SLIP}).?`, 'gu'))].map((m) => m[0]);
}
