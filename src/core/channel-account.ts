import { findSubscription } from '../db/digest.repository.ts';
import type { Context } from './command.ts';

/**
 * The one account a chat channel is about, when it has one: the channel's digest is
 * subscribed to exactly one account (`digest subscribe … --account Acme`). Forms opened
 * from that channel (Slack's "Log a visit from this message") start with it chosen.
 */
export async function channelAccountId(ctx: Context): Promise<number | undefined> {
  if (!ctx.channel) return undefined;
  const sub = await findSubscription(ctx.db, ctx.channel.platform, ctx.channel.id);
  return sub?.scope.kind === 'accounts' && sub.scope.accountIds.length === 1 ? sub.scope.accountIds[0] : undefined;
}
