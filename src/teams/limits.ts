/**
 * Teams' limits for what a bot sends (learn.microsoft.com, "Format your bot messages"):
 * a card is kept to about 28 KB (Adaptive Cards), a message under the 80 KB Teams advises
 * of its 100 KB limit. We keep a margin for the activity's envelope.
 */
export const TEAMS_LIMITS = {
  /** UTF-8 bytes of one card's JSON. */
  cardBytes: 24_000,
  /** Choices offered by one choice set before typing narrows them. */
  choices: 100,
  /** Action.Execute titles are cut here (they are buttons). */
  actionTitle: 40,
  /**
   * An inline image: a base64 data URI in a message of its own, so the card keeps its size.
   * Teams documents the bot message limit as about 100 KB (UTF-16, keep it under 80 KB) and
   * says that limit "doesn't include base64 encoded image" (learn.microsoft.com, "Format your
   * bot messages"; "Send and receive inline images" documents no figure for the image either).
   * With no documented ceiling for the image, this one is ours, not Teams': a data URI of
   * at most 1 MB; a bigger map is drawn smaller (`imageScales`) until it fits.
   */
  inlineImageBytes: 1_000_000,
  /** The image message without its data URI: text, name and envelope, far below the 80 KB Teams advises. */
  messageBytes: 80_000,
  /** Scales tried in turn for the inline image: full size, then smaller. */
  imageScales: [1, 0.75, 0.5, 0.35],
} as const;


export const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
