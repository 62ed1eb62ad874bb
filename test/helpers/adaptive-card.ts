import { createRequire } from 'node:module';

// The package's ES build imports without file extensions, which Node cannot load; its bundled build can.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

export type CardJson = { type: string; version?: string; body: Element[]; actions?: Element[] };
export type Element = Record<string, unknown> & { type: string; id?: string; label?: string; title?: string; verb?: string; data?: Record<string, unknown>; text?: string };

/**
 * What Microsoft's own Adaptive Cards parser says about a card at schema 1.5: every
 * warning and error (unknown elements or properties, properties newer than 1.5,
 * invalid values). An empty list is a card Teams renders as sent.
 */
export function cardProblems(card: unknown): string[] {
  const context = new AC.SerializationContext(new AC.Version(1, 5));
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card as object, context);
  const problems = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  // Teams reads `choices.data` (Data.Query, dynamic type-ahead) on its 1.5 cards, as its own docs'
  // examples do; the SDK dates the property to 1.6, which Teams clients do not all render.
  return problems.filter((p) => p !== 'Property "choices.data" is supported in version 1.6, but you are using version 1.5.');
}

/** Every element of a card, depth first (containers, column sets and action sets opened). */
export function elements(card: CardJson): Element[] {
  const out: Element[] = [];
  const walk = (items: unknown) => {
    for (const item of (Array.isArray(items) ? items : []) as Element[]) {
      out.push(item);
      walk(item.items);
      walk(item.actions);
      walk((item.columns as Element[] | undefined)?.flatMap((c) => c.items as Element[]));
    }
  };
  walk(card.body);
  walk(card.actions);
  return out;
}

export function inputByLabel(card: CardJson, label: string): Element {
  const input = elements(card).find((e) => e.type.startsWith('Input.') && e.label === label);
  if (!input) throw new Error(`no input labelled "${label}"; labels: ${elements(card).filter((e) => e.type.startsWith('Input.')).map((e) => e.label).join(' | ')}`);
  return input;
}

export function actionByTitle(card: CardJson, title: string): Element {
  const action = elements(card).find((e) => e.type.startsWith('Action.') && e.title === title);
  if (!action) throw new Error(`no button "${title}"; buttons: ${elements(card).filter((e) => e.type.startsWith('Action.')).map((e) => e.title).join(' | ')}`);
  return action;
}

/** The values a card holds now (what Teams sends with an Action.Execute), with answers typed in by label. */
export function fillCard(card: CardJson, answers: Record<string, string> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const input of elements(card).filter((e) => e.type.startsWith('Input.'))) {
    if (input.value !== undefined) values[input.id!] = String(input.value);
  }
  for (const [label, answer] of Object.entries(answers)) values[inputByLabel(card, label).id!] = answer;
  return values;
}

/** All the text a card shows. */
export function cardText(card: CardJson): string {
  return elements(card)
    .flatMap((e) => [e.text, e.title, ...((e.facts as Array<{ title: string; value: string }> | undefined) ?? []).map((f) => `${f.title}: ${f.value}`)])
    .filter(Boolean)
    .join('\n');
}
