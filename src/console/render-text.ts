import stringWidth from 'string-width';
import { withMentions } from '../core/mentions.ts';
import type { Action, Block, Reply } from '../core/reply.ts';
import { t, type Locale } from '../i18n/index.ts';

/** How wide a terminal is taken to be when it does not say (a pipe, a file, a test): 80 columns. */
export const DEFAULT_COLUMNS = 80;
/** Below this width a column the command marked optional is left out rather than narrowed further. */
const COMFORTABLE_COLUMN = 16;
/** No column is narrowed below this (4 Chinese characters): the last columns are left out instead. */
const MIN_COLUMN = 8;

export interface TextOptions {
  /** Terminal columns every line must fit in (default 80). */
  width?: number;
  /** Language of the renderer's own notes (columns left out). */
  locale?: Locale;
}

/** The columns to fit a stream's output in: its width when it is a terminal, 80 otherwise. */
export function columnsOf(stream: unknown): number {
  const tty = stream as { isTTY?: boolean; columns?: number };
  return tty.isTTY === true && typeof tty.columns === 'number' && tty.columns >= 20 ? tty.columns : DEFAULT_COLUMNS;
}

/**
 * A reply as plain text for a terminal (console and CLI). Buttons are numbered, so the
 * console can run one when its number is typed; the command each runs is shown too.
 * Every line fits `width` terminal columns, Chinese characters and emoji counted as
 * two: long text wraps, and a table narrows its widest columns (wrapping their cells)
 * and, when that is not enough, leaves out its least important columns, saying which.
 */
export function renderText(given: Reply, actions: Action[] = [], options: TextOptions = {}): string {
  const width = Math.max(20, options.width ?? DEFAULT_COLUMNS);
  const locale = options.locale ?? 'en';
  const reply = withMentions(given, (person) => `@${person.name}`);
  const out: string[] = [];
  if (reply.title) {
    const title = wrap(forTerminal(reply.title), width);
    out.push(...title, '─'.repeat(Math.min(60, width, Math.max(...title.map(displayWidth)))));
  }
  for (const block of reply.blocks) out.push(renderBlock(block, actions, width, locale));
  return forTerminal(out.filter((s) => s !== '').join('\n'));
}

/**
 * Text safe to print on a terminal: escape sequences (colours, cursor moves, window
 * titles, `ESC ] … BEL`) removed whole, then every other control character but line
 * feed and tab (a carriage return could hide what came before it on the line; C1
 * includes the one-byte CSI), and the bidirectional overrides that reorder a line.
 * Names and notes reach the console and the CLI's output and errors, and a file's
 * cells reach import's messages.
 */
export function forTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x9b[0-?]*[ -/]*[@-~]|\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -/]*[0-~]?)/g, '').replace(/[^\P{Cc}\n\t]|[\u202A-\u202E\u2066-\u2069]/gu, '');
}

function renderBlock(block: Block, actions: Action[], width: number, locale: Locale): string {
  // Cells and texts are cleaned first, so what is measured is what is printed.
  switch (block.type) {
    case 'heading':
      return `\n${wrap(forTerminal(block.text), width).join('\n')}`;
    case 'text':
      return block.tone === 'warning' ? hanging('! ', forTerminal(block.text), width) : wrap(forTerminal(block.text), width).join('\n');
    case 'fields': {
      // Labels wider than a third of the screen do not push every value to the right edge.
      const labelWidth = Math.min(Math.floor(width / 3), Math.max(...block.fields.map((f) => displayWidth(forTerminal(f.label)))));
      return block.fields
        .map((f) => {
          const label = forTerminal(f.label);
          const value = forTerminal(f.value);
          if (displayWidth(label) <= labelWidth) return hanging(`${pad(label, labelWidth)}  `, value, width);
          // A label too long for its column takes a line (or more) of its own.
          return `${wrap(label, width).join('\n')}\n${hanging(' '.repeat(labelWidth + 2), value, width)}`;
        })
        .join('\n');
    }
    case 'list':
      return block.items.map((item) => hanging('  • ', forTerminal(item), width)).join('\n');
    case 'table':
      return renderTable(block, width, locale);
    case 'actions':
      return block.actions
        .map((a) => {
          actions.push(a);
          return hanging(`  [${actions.length}] `, `${forTerminal(a.label)}  (${forTerminal(a.command)})`, width);
        })
        .join('\n');
  }
}

/** A table in `width` columns: see renderText. */
function renderTable(block: Extract<Block, { type: 'table' }>, width: number, locale: Locale): string {
  const columns = block.columns.map(forTerminal);
  const rows = block.rows.map((row) => columns.map((_, i) => forTerminal(row[i] ?? '')));
  const natural = columns.map((c, i) => Math.max(displayWidth(c), ...rows.map((r) => displayWidth(r[i]!))));
  const kept = columns.map((_, i) => i);
  // Columns the command marked optional go first, least important first, before the others are narrowed much.
  const optional = (block.optional ?? []).filter((i, at, all) => i > 0 && i < columns.length && all.indexOf(i) === at);
  while (optional.length > 0 && !fit(kept.map((i) => natural[i]!), width, COMFORTABLE_COLUMN)) kept.splice(kept.indexOf(optional.shift()!), 1);
  // Then, only when even narrow columns do not fit, from the last column back; the first is never left out.
  const rest = kept.slice(1).reverse();
  let widths = fit(kept.map((i) => natural[i]!), width, MIN_COLUMN);
  while (!widths && rest.length > 0) {
    kept.splice(kept.indexOf(rest.shift()!), 1);
    widths = fit(kept.map((i) => natural[i]!), width, MIN_COLUMN);
  }
  // One column that does not fit even narrowed: it wraps at the screen's width.
  widths ??= [width - 2];
  const line = (cells: string[]) => {
    const wrapped = kept.map((i, k) => wrap(cells[i]!, widths[k]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, n) => `  ${wrapped.map((w, k) => pad(w[n] ?? '', widths[k]!)).join('  ')}`.trimEnd()).join('\n');
  };
  const lines = [line(columns), `  ${widths.map((w) => '─'.repeat(w)).join('  ')}`, ...rows.map(line)];
  const left = columns.filter((_, i) => !kept.includes(i));
  if (left.length > 0) lines.push(...wrap(t(locale, 'render.columns_left_out', { width, columns: left.join(t(locale, 'list.separator')) }), width));
  return lines.join('\n');
}

/**
 * Column widths that fit a table in `width` (two spaces of indent and two between
 * columns): the widest column narrowed first, none below `least` (or its natural
 * width when smaller). Undefined when even that does not fit.
 */
function fit(natural: number[], width: number, least: number): number[] | undefined {
  const room = width - 2 - 2 * (natural.length - 1);
  const floor = natural.map((n) => Math.min(n, least));
  if (floor.reduce((a, b) => a + b, 0) > room) return undefined;
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > room) {
    const widest = widths.reduce((best, w, i) => (w - floor[i]! > widths[best]! - floor[best]! ? i : best), 0);
    widths[widest]!--;
    total--;
  }
  return widths;
}

/** `lead` then `text` wrapped, its further lines indented by the lead's width. */
function hanging(lead: string, text: string, width: number): string {
  const indent = displayWidth(lead);
  const lines = wrap(text, Math.max(8, width - indent));
  return lines.map((l, i) => (i === 0 ? lead : ' '.repeat(indent)) + l).join('\n').replace(/ +$/gm, '');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const CLOSING = /^[，。、：；！？）」』”’》〉】]$/u;

/** The last character of a line, when a wide one (a Chinese character) that may move to the next line. */
function lastGrapheme(line: string): string {
  const last = [...graphemes.segment(line)].at(-1)?.segment ?? '';
  return displayWidth(last) > 1 && !CLOSING.test(last) && line.length > last.length ? last : '';
}

/**
 * Text broken into lines of at most `width` terminal columns: at spaces, between
 * Chinese characters (which need no space), and inside a word only when the word alone
 * is wider than a line. Emoji and combined characters are never split.
 */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    // Words: runs of narrow characters; each wide character and each run of spaces stands alone.
    const tokens: string[] = [];
    let word = '';
    for (const { segment } of graphemes.segment(paragraph)) {
      const space = /^\s+$/.test(segment);
      if (space || displayWidth(segment) > 1) {
        if (word) tokens.push(word);
        word = '';
        if (space && /^\s+$/.test(tokens.at(-1) ?? '')) tokens[tokens.length - 1] += segment;
        else tokens.push(segment);
      } else word += segment;
    }
    if (word) tokens.push(word);
    let line = '';
    let used = 0;
    let broken = false;
    const flush = () => {
      out.push(line.trimEnd());
      line = '';
      used = 0;
      broken = true;
    };
    for (const token of tokens) {
      const w = displayWidth(token);
      if (/^\s+$/.test(token)) {
        if (line === '' && broken) continue;
        if (used + w > width) flush();
        else {
          line += token;
          used += w;
        }
        continue;
      }
      if (used + w <= width) {
        line += token;
        used += w;
        continue;
      }
      if (line.trim() !== '') {
        // Closing punctuation does not begin a line (避头): the character before it comes along.
        const carried = CLOSING.test(token) ? lastGrapheme(line) : '';
        line = line.slice(0, line.length - carried.length);
        flush();
        line = carried;
        used = displayWidth(carried);
      } else if (line !== '') {
        line = '';
        used = 0;
      }
      for (const { segment } of graphemes.segment(token)) {
        const g = displayWidth(segment);
        if (used + g > width && line !== '') flush();
        line += segment;
        used += g;
      }
    }
    out.push(line.trimEnd());
  }
  return out;
}

/** Columns a string takes in a terminal: East Asian wide characters and emoji take two (string-width). */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
