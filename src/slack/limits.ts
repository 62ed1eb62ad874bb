import { fit } from '../core/format.ts';

/** Slack's Block Kit limits (api.slack.com/reference/block-kit). */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionsElements: 25,
  optionText: 75,
  options: 100,
  viewTitle: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
} as const;


/** Splits lines into chunks of at most `max` characters (a line longer than that is cut). */
export function chunkLines(lines: string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = fit(raw, max);
    if (current && current.length + 1 + line.length > max) {
      chunks.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  return chunks;
}

export { fit };
