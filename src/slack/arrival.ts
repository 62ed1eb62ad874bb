/** Where the time a request was read is kept in Bolt's `context` (a custom property, set by the receiver). */
const ARRIVED_AT = 'mcrArrivedAt';

/**
 * The receiver's `customPropertiesExtractor`: when the request was read and verified. On
 * Slack's answers thread (answers-thread.ts) a request may wait there behind others' work
 * before its listener begins, and Slack's 3 s count from here, not from the listener.
 */
export const arrival = () => ({ [ARRIVED_AT]: Date.now() });

/** Milliseconds since the request was read; 0 where the receiver did not say (Socket Mode: its listener begins at once). */
export function sinceArrival(context: Record<string, unknown>): number {
  const at = context[ARRIVED_AT];
  return typeof at === 'number' ? Math.max(0, Date.now() - at) : 0;
}
