import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
import { withMentions } from '../core/mentions.ts';
import type { Block, Reply } from '../core/reply.ts';
import { chunkLines, fit, LIMITS } from './limits.ts';

/** Text for mrkdwn: Slack's three escapes, sparing user mentions (`<@U123>`) that core/mentions.ts put there. */
export const escape = (text: string) =>
  text
    .split(/(<@[UW][A-Z0-9]+>)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');

const TONE = { warning: ':warning: ', success: ':white_check_mark: ' } as const;

/**
 * A neutral reply as Block Kit, within Slack's limits: long texts, lists and tables
 * are split over several sections, and a reply longer than `maxBlocks` ends with a
 * note that the rest was left out (the CLI and console show everything).
 */
export function replyBlocks(given: Reply, options: { maxBlocks?: number; extraActions?: KnownBlock[]; more?: string } = {}): KnownBlock[] {
  const reply = slackMentions(given);
  const blocks: KnownBlock[] = [];
  if (reply.title) blocks.push({ type: 'header', text: { type: 'plain_text', text: fit(reply.title, LIMITS.headerText) } });
  for (const block of reply.blocks) blocks.push(...renderBlock(block));
  blocks.push(...(options.extraActions ?? []));
  const max = options.maxBlocks ?? LIMITS.messageBlocks;
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  kept.push({ type: 'context', elements: [{ type: 'mrkdwn', text: fit(options.more ?? `… ${blocks.length - kept.length} more`, LIMITS.sectionText) }] });
  return kept;
}

/** Our people as Slack mentions when they have a Slack id, else by name. */
export function slackMentions(reply: Reply): Reply {
  return withMentions(reply, (person) => (person.slackId ? `<@${person.slackId}>` : person.name));
}

/** The plain-text fallback every message needs (notifications, screen readers). */
export function replyText(given: Reply): string {
  const reply = withMentions(given, (person) => person.name);
  const first = reply.blocks.find((b) => b.type === 'text' || b.type === 'heading');
  return fit(reply.title ?? (first && 'text' in first ? first.text : 'MCR Bot'), LIMITS.sectionText);
}

function sections(lines: string[]): KnownBlock[] {
  return chunkLines(lines, LIMITS.sectionText).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

function renderBlock(block: Block): KnownBlock[] {
  switch (block.type) {
    case 'heading':
      return sections([`*${escape(block.text)}*`]);
    case 'text':
      if (block.tone === 'muted') return [{ type: 'context', elements: [{ type: 'mrkdwn', text: fit(escape(block.text), LIMITS.sectionText) }] }];
      return sections(escape(`${block.tone ? TONE[block.tone] : ''}${block.text}`).split('\n'));
    case 'fields': {
      const out: KnownBlock[] = [];
      for (let i = 0; i < block.fields.length; i += LIMITS.sectionFields) {
        out.push({
          type: 'section',
          fields: block.fields.slice(i, i + LIMITS.sectionFields).map((f) => ({ type: 'mrkdwn', text: fit(`*${escape(f.label)}*\n${escape(f.value)}`, LIMITS.fieldText) })),
        });
      }
      return out;
    }
    case 'list':
      return sections(block.items.map((item) => `• ${escape(item)}`));
    case 'table':
      // One line a row: the first cell in bold, then the others labelled by their column.
      return sections(block.rows.map((row) => [`*${escape(row[0] ?? '')}*`, ...row.slice(1).map((cell, i) => `${escape(block.columns[i + 1] ?? '')}: ${escape(cell)}`)].join(' · ')));
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
