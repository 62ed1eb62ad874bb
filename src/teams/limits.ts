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
  /**
   * An inline image (a base64 data URI, learn.microsoft.com "Send and receive inline
   * images") goes in a message of its own so the card keeps its 28 KB; its data URI is
   * kept under 1 MB, the size Teams documents for card images.
   */
  inlineImageBytes: 1_000_000,
} as const;


export const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
