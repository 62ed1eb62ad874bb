import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
import { withMentions } from '../core/mentions.ts';
import type { Block, Reply } from '../core/reply.ts';
import { chunkLines, fit, LIMITS } from './limits.ts';

/**
 * Slack's three escapes (`&`, `<`, `>`), for mrkdwn and for a message's `text`: what
 * people wrote (a name `<!channel>` or `<http://evil|Acme>`) is shown as written, never
 * a mention, a channel ping or a disguised link. Mentions are added after escaping
 * (see `markedUp`), so no text can pass for one.
 */
export const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack sends a slash command's text with `&`, `<`, `>` encoded: the words as typed. */
export const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const TONE = { warning: ':warning: ', success: ':white_check_mark: ' } as const;

/**
 * A neutral reply as Block Kit, within Slack's limits: long texts, lists and tables
 * are split over several sections, and a reply longer than `maxBlocks` ends with a
 * note that the rest was left out (the CLI and console show everything).
 *
 * Texts and lists go as plain_text, which Slack shows exactly as written, so `*`, `_`,
 * `~` and backticks in a name or a note do not restyle it; only a text or list that
 * mentions someone, headings, fields and tables (which bold their labels) are mrkdwn,
 * escaped. Slack has no escape for its formatting characters, so there they can still
 * restyle, but never link, mention or hide anything.
 */
export function replyBlocks(given: Reply, options: { maxBlocks?: number; extraActions?: KnownBlock[]; more?: string } = {}): KnownBlock[] {
  const marked = markedUp(given);
  const plain = withMentions(given, (person) => person.name);
  const blocks: KnownBlock[] = [];
  if (plain.title) blocks.push({ type: 'header', text: { type: 'plain_text', text: fit(plain.title, LIMITS.headerText) } });
  marked.blocks.forEach((block, i) => blocks.push(...renderBlock(block, plain.blocks[i]!)));
  blocks.push(...(options.extraActions ?? []));
  const max = options.maxBlocks ?? LIMITS.messageBlocks;
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  kept.push({ type: 'context', elements: [{ type: 'mrkdwn', text: fit(options.more ?? `… ${blocks.length - kept.length} more`, LIMITS.sectionText) }] });
  return kept;
}

/** The reply as mrkdwn: its text escaped, then our people as Slack mentions when they have a Slack id, else by name. */
function markedUp(reply: Reply): Reply {
  return withMentions(reply, (person) => (person.slackId ? `<@${person.slackId}>` : escape(person.name)), escape);
}

/** The reply's one line, unescaped: for plain-text places (a modal's error message). */
export function plainSummary(given: Reply): string {
  const reply = withMentions(given, (person) => person.name);
  const first = reply.blocks.find((b) => b.type === 'text' || b.type === 'heading');
  return fit(reply.title ?? (first && 'text' in first ? first.text : 'MCR Bot'), LIMITS.sectionText);
}

/** The fallback `text` every message needs (notifications, screen readers): Slack reads it as mrkdwn, so it is escaped. */
export function replyText(given: Reply): string {
  return fit(escape(plainSummary(given)), LIMITS.sectionText);
}

/** A real mention is the only `<@` left in escaped text. */
const mentions = (text: string) => text.includes('<@');

function sections(lines: string[], type: 'mrkdwn' | 'plain_text' = 'mrkdwn'): KnownBlock[] {
  return chunkLines(lines, LIMITS.sectionText).map((text) => ({ type: 'section', text: type === 'mrkdwn' ? { type, text } : { type, text, emoji: true } }));
}

/** `block` has its text escaped and mentions written (mrkdwn); `plain` is the same block as plain text. */
function renderBlock(block: Block, plain: Block): KnownBlock[] {
  switch (block.type) {
    case 'heading':
      return sections([`*${block.text}*`]);
    case 'text': {
      const useMarkup = mentions(block.text);
      const text = useMarkup ? block.text : (plain as typeof block).text;
      if (block.tone === 'muted') {
        return [{ type: 'context', elements: [useMarkup ? { type: 'mrkdwn', text: fit(text, LIMITS.sectionText) } : { type: 'plain_text', text: fit(text, LIMITS.sectionText), emoji: true }] }];
      }
      return sections(`${block.tone ? TONE[block.tone] : ''}${text}`.split('\n'), useMarkup ? 'mrkdwn' : 'plain_text');
    }
    case 'fields': {
      const out: KnownBlock[] = [];
      for (let i = 0; i < block.fields.length; i += LIMITS.sectionFields) {
        out.push({
          type: 'section',
          fields: block.fields.slice(i, i + LIMITS.sectionFields).map((f) => ({ type: 'mrkdwn', text: fit(`*${f.label}*\n${f.value}`, LIMITS.fieldText) })),
        });
      }
      return out;
    }
    case 'list': {
      const useMarkup = block.items.some(mentions);
      return sections((useMarkup ? block : (plain as typeof block)).items.map((item) => `• ${item}`), useMarkup ? 'mrkdwn' : 'plain_text');
    }
    case 'table':
      // One line a row: the first cell in bold, then the others labelled by their column.
      return sections(block.rows.map((row) => [`*${row[0] ?? ''}*`, ...row.slice(1).map((cell, i) => `${escape(block.columns[i + 1] ?? '')}: ${cell}`)].join(' · ')));
    case 'actions': {
      const out: KnownBlock[] = [];
      for (let i = 0; i < block.actions.length; i += LIMITS.actionsElements) {
        out.push({
          type: 'actions',
          elements: block.actions.slice(i, i + LIMITS.actionsElements).map((a, j) => ({
            type: 'button',
            action_id: `run:${i + j}`,
            text: { type: 'plain_text', text: fit(a.label, LIMITS.buttonText) },
            value: fit(a.command, LIMITS.buttonValue),
            ...(a.style && { style: a.style }),
          })),
        });
      }
      return out;
    }
  }
}
