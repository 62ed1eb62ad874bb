import { withMentions } from '../core/mentions.ts';
import type { Action, Block, Reply } from '../core/reply.ts';
import { fit } from '../core/format.ts';
import { byteLength, TEAMS_LIMITS } from './limits.ts';

/** An Adaptive Card as Teams takes it (schema 1.5). */
export interface Card {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  [key: string]: unknown;
}

export type CardElement = Record<string, unknown> & { type: string };

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

export function card(body: CardElement[], actions: CardElement[] = []): Card {
  return { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: '1.5', body, ...(actions.length > 0 && { actions }) };
}

export const textBlock = (text: string, extra: Record<string, unknown> = {}): CardElement => ({ type: 'TextBlock', text, wrap: true, ...extra });

/** A button that runs a command line as the one who presses it. */
export function runAction(action: Action): CardElement {
  return {
    type: 'Action.Execute',
    title: fit(action.label, TEAMS_LIMITS.actionTitle),
    verb: 'run',
    data: { mcr: { run: action.command } },
    ...(action.style && { style: action.style === 'primary' ? 'positive' : 'destructive' }),
  };
}

const TONE = { warning: 'Attention', success: 'Good' } as const;

function renderBlock(block: Block): CardElement[] {
  switch (block.type) {
    case 'heading':
      return [textBlock(block.text, { weight: 'Bolder', spacing: 'Medium' })];
    case 'text':
      if (block.tone === 'muted') return [textBlock(block.text, { isSubtle: true, size: 'Small' })];
      return [textBlock(block.text, block.tone ? { color: TONE[block.tone] } : {})];
    case 'fields':
      return [{ type: 'FactSet', facts: block.fields.map((f) => ({ title: f.label, value: f.value || '—' })) }];
    case 'list':
      return block.items.map((item) => textBlock(`• ${item}`, { spacing: 'None' }));
    case 'table':
      // One line a row, as on Slack: a 300-contact table stays readable and small.
      return block.rows.map((row) =>
        textBlock([`**${row[0] ?? ''}**`, ...row.slice(1).map((cell, i) => `${block.columns[i + 1] ?? ''}: ${cell}`)].join(' · '), { spacing: 'Small' }),
      );
    case 'actions':
      return [{ type: 'ActionSet', actions: block.actions.map(runAction) }];
  }
}

/** A reply's title and blocks as card elements, mentions written out. */
function elementsOf(given: Reply): CardElement[] {
  const reply = teamsMentions(given);
  return [...(reply.title ? [textBlock(reply.title, { size: 'Large', weight: 'Bolder' })] : []), ...reply.blocks.flatMap(renderBlock)];
}

/** Elements packed into cards that each fit Teams' message size, in order. */
function pack(elements: CardElement[], budget: number): CardElement[][] {
  const cards: CardElement[][] = [[]];
  let size = byteLength(card([]));
  for (const element of elements) {
    const next = byteLength(element) + 1;
    if (size + next > budget && cards.at(-1)!.length > 0) {
      cards.push([]);
      size = byteLength(card([]));
    }
    cards.at(-1)!.push(element);
    size += next;
  }
  return cards;
}

/**
 * A neutral reply as one Adaptive Card within Teams' message size: what does not fit
 * is left out with a line saying so (the console and `mcr` show everything), keeping
 * the last buttons (log visit, rate).
 */
export function replyCard(reply: Reply, more: string): Card {
  const moreBlock = textBlock(more, { isSubtle: true, size: 'Small' });
  const [first, ...rest] = pack(elementsOf(reply), TEAMS_LIMITS.cardBytes - byteLength(moreBlock) - 2_000);
  if (rest.length === 0) return card(first!);
  const actions = rest.flat().filter((e) => e.type === 'ActionSet' && byteLength(e) < 2_000).slice(-1);
  return card([...first!, moreBlock, ...actions]);
}

/** A long reply (a digest) as several cards, each within Teams' message size, in order. */
export function replyCards(reply: Reply): Card[] {
  return pack(elementsOf(reply), TEAMS_LIMITS.cardBytes).map((body) => card(body));
}

/** Our people by name, in bold (a card's text cannot hold Teams @mentions without their entities). */
function teamsMentions(reply: Reply): Reply {
  return withMentions(reply, (person) => `**${person.name}**`);
}

/** The plain-text summary of a reply (notifications, the card's fallback). */
export function replySummary(given: Reply): string {
  const reply = withMentions(given, (person) => person.name);
  const first = reply.blocks.find((b) => b.type === 'text' || b.type === 'heading');
  return fit(reply.title ?? (first && 'text' in first ? first.text : 'MCR Bot'), 200);
}
