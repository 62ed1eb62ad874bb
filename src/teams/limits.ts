/**
 * Teams' limits for what a bot sends (learn.microsoft.com, "Format your bot messages"):
 * a message, card included, of at most about 28 KB. We keep a margin for the
 * activity's envelope.
 */
export const TEAMS_LIMITS = {
  /** UTF-8 bytes of one card's JSON. */
  cardBytes: 24_000,
  /** Choices offered by one choice set before typing narrows them. */
  choices: 100,
  /** Action.Execute titles are cut here (they are buttons). */
  actionTitle: 40,
} as const;


export const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
