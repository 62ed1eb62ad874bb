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

/**
 * Teams reads TextBlock and FactSet text as markdown (bold, italics, lists, links), so
 * what people wrote is backslash-escaped the CommonMark way before our own markup and
 * mentions are added (`withTeamsMentions`): `[x](http://evil)` stays text, not a link,
 * and `**` or `_` stays as typed. Emphasis, code, strike and link brackets anywhere;
 * heading, quote and list markers only where a line starts.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_~[\]]/g, '\\$&')
    .replace(/^(\s*)([#>+-])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
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
        textBlock([`**${row[0] ?? ''}**`, ...row.slice(1).map((cell, i) => `${escapeMarkdown(block.columns[i + 1] ?? '')}: ${cell}`)].join(' · '), { spacing: 'Small' }),
      );
    case 'actions':
      return [{ type: 'ActionSet', actions: block.actions.map(runAction) }];
  }
}

/** A reply's title and blocks as card elements, mentions written out. */
function elementsOf(reply: Reply): CardElement[] {
  return [...(reply.title ? [textBlock(reply.title, { size: 'Large', weight: 'Bolder' })] : []), ...reply.blocks.flatMap(renderBlock)];
}

/** A Teams mention of one of our people, as the card's `msteams.entities` declares it. */
interface Mention {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

/**
 * The reply's text escaped for Teams' markdown (`escapeMarkdown`), then our people
 * written as Teams @mentions (`<at>Name</at>` plus an entity with their AAD object id)
 * when we know their Teams id, else by name in bold.
 */
function withTeamsMentions(reply: Reply): { reply: Reply; mentions: Mention[] } {
  const mentions = new Map<string, Mention>();
  const written = withMentions(reply, (person) => {
    if (!person.teamsId) return `**${escapeMarkdown(person.name)}**`;
    const text = `<at>${person.name}</at>`;
    mentions.set(text, { type: 'mention', text, mentioned: { id: person.teamsId, name: person.name } });
    return text;
  }, escapeMarkdown);
  return { reply: written, mentions: [...mentions.values()] };
}

/** A card with the mentions its text uses (Teams rejects an entity whose text is not in the card). */
function withEntities(built: Card, mentions: Mention[]): Card {
  const json = JSON.stringify(built.body);
  const used = mentions.filter((m) => json.includes(m.text));
  return used.length > 0 ? { ...built, msteams: { entities: used } } : built;
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
export function replyCard(given: Reply, more: string): Card {
  const { reply, mentions } = withTeamsMentions(given);
  const moreBlock = textBlock(more, { isSubtle: true, size: 'Small' });
  const [first, ...rest] = pack(elementsOf(reply), TEAMS_LIMITS.cardBytes - byteLength(moreBlock) - 2_000);
  if (rest.length === 0) return withEntities(card(first!), mentions);
  const actions = rest.flat().filter((e) => e.type === 'ActionSet' && byteLength(e) < 2_000).slice(-1);
  return withEntities(card([...first!, moreBlock, ...actions]), mentions);
}

/** A long reply (a digest) as several cards, each within Teams' message size, in order. */
export function replyCards(given: Reply): Card[] {
  const { reply, mentions } = withTeamsMentions(given);
  // Room for the entities each card may carry.
  return pack(elementsOf(reply), TEAMS_LIMITS.cardBytes - 2_000).map((body) => withEntities(card(body), mentions));
}

/** The plain-text summary of a reply (notifications, the card's fallback). */
export function replySummary(given: Reply): string {
  const reply = withMentions(given, (person) => person.name);
  const first = reply.blocks.find((b) => b.type === 'text' || b.type === 'heading');
  return fit(reply.title ?? (first && 'text' in first ? first.text : 'MCR Bot'), 200);
}
