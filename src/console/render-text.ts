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
  return out.filter((s) => s !== '').join('\n');
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
