import { withMentions } from '../core/mentions.ts';
import type { Action, Block, Reply } from '../core/reply.ts';

/**
 * A reply as plain text for a terminal (console and CLI). Buttons are numbered, so the
 * console can run one when its number is typed; the command each runs is shown too.
 */
export function renderText(given: Reply, actions: Action[] = []): string {
  const reply = withMentions(given, (person) => `@${person.name}`);
  const out: string[] = [];
  if (reply.title) out.push(reply.title, '─'.repeat(Math.min(60, displayWidth(reply.title))));
  for (const block of reply.blocks) out.push(renderBlock(block, actions));
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

function renderBlock(block: Block, actions: Action[]): string {
  switch (block.type) {
    case 'heading':
      return `\n${block.text}`;
    case 'text':
      return block.tone === 'warning' ? `! ${block.text}` : block.text;
    case 'fields': {
      const width = Math.max(...block.fields.map((f) => displayWidth(f.label)));
      return block.fields.map((f) => `${pad(f.label, width)}  ${f.value}`).join('\n');
    }
    case 'list':
      return block.items.map((item) => `  • ${item}`).join('\n');
    case 'table': {
      const widths = block.columns.map((c, i) => Math.max(displayWidth(c), ...block.rows.map((r) => displayWidth(r[i] ?? ''))));
      const line = (cells: string[]) => `  ${cells.map((c, i) => pad(c, widths[i]!)).join('  ')}`.trimEnd();
      return [line(block.columns), line(widths.map((w) => '─'.repeat(w))), ...block.rows.map(line)].join('\n');
    }
    case 'actions':
      return block.actions
        .map((a) => {
          actions.push(a);
          return `  [${actions.length}] ${a.label}  (${a.command})`;
        })
        .join('\n');
  }
}

/** Columns a string takes in a terminal: East Asian wide characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(ch) ? 2 : 1;
  return width;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
