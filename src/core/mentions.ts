import type { Person } from '../domain/types.ts';
import type { Block, Reply } from './reply.ts';

/**
 * Marks a mention: a control character, which no name may hold and free text loses
 * (domain/text.ts), so `@{3}` typed in a name or a note (`Acme @{3}`) stays text and
 * never becomes a mention of person 3.
 */
const MARK = '\u0001';

/** How a reply names one of our people so each channel can mention them its own way. */
export const mention = (personId: number) => `${MARK}@{${personId}}`;

const TOKEN = /\u0001@\{(\d+)\}/g;

/**
 * The reply with every `@{id}` written by `write` (Slack: `<@U123>`; Teams and text:
 * the name). A person the reply does not know is written as nothing rather than a
 * token. `escape`, when given, is applied to the text around the mentions, so a
 * channel's markup can be escaped in what people wrote and not in the mentions it adds.
 */
export function withMentions(reply: Reply, write: (person: Pick<Person, 'name' | 'slackId' | 'teamsId'>) => string, escape?: (text: string) => string): Reply {
  const people = reply.mentions;
  if (!people && !escape) return reply;
  const person = (id: string) => (people?.[Number(id)] ? write(people[Number(id)]!) : '');
  const text = escape
    ? (s: string) => s.split(TOKEN).map((part, i) => (i % 2 === 1 ? person(part) : escape(part))).join('')
    : (s: string) => s.replace(TOKEN, (_, id: string) => person(id));
  const block = (b: Block): Block => {
    switch (b.type) {
      case 'heading':
      case 'text':
        return { ...b, text: text(b.text) };
      case 'fields':
        return { ...b, fields: b.fields.map((f) => ({ label: text(f.label), value: text(f.value) })) };
      case 'list':
        return { ...b, items: b.items.map(text) };
      case 'table':
        return { ...b, rows: b.rows.map((r) => r.map(text)) };
      case 'actions':
        return b;
    }
  };
  return { ...reply, ...(reply.title && { title: text(reply.title) }), blocks: reply.blocks.map(block) };
}
