import type { Turn } from '../core/turns.ts';

/** Where the request's place in its sender's line is kept in Bolt's `context` (shared by middleware and listeners). */
export const TURN = 'mcrTurn';

/**
 * The request's place in its sender's line (core/turns.ts): a listener awaits `ready`
 * after its ack and before its work, and may `release` once its answer is out.
 * Requests without a sender (none today) have no line.
 */
export function turnOf(context: Record<string, unknown>): Turn {
  return (context[TURN] as Turn | undefined) ?? { ready: Promise.resolve(), release: () => undefined };
}

/** Who sent a request, workspace and user: a command's `user_id`, an action's or a view's `user.id`, an event's `event.user`. */
export function senderOf(body: unknown): string | undefined {
  const b = body as { team_id?: unknown; user_id?: unknown; user?: { id?: unknown; team_id?: unknown }; team?: { id?: unknown }; event?: { user?: unknown } };
  const user = b.user_id ?? b.user?.id ?? b.event?.user;
  if (typeof user !== 'string') return undefined;
  const team = b.team_id ?? b.team?.id ?? b.user?.team_id;
  return `${typeof team === 'string' ? team : ''}:${user}`;
}
