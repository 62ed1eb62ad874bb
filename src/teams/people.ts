import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Context } from '../core/command.ts';
import { localeFromTag } from '../i18n/index.ts';
import { contextFor, platformContext, type AppDeps } from '../core/context.ts';

interface TeamsProfile {
  /** The AAD object id when Teams gives one (it does in Teams), else the channel user id. */
  id: string;
  email: string | null;
  name: string;
}

const CACHE_MS = 10 * 60_000;
const profiles = new Map<string, { profile: TeamsProfile; until: number }>();

/**
 * The sender's email and name from the conversation roster (`TeamsInfo.getMember`),
 * cached for ten minutes. Outside Teams (the Bot Framework tools) there is no roster:
 * the person is known by their id alone.
 */
async function profileOf(turn: TurnContext, log: AppDeps['log']): Promise<TeamsProfile> {
  const from = turn.activity.from;
  const id = from.aadObjectId ?? from.id;
  const cached = profiles.get(id);
  if (cached && cached.until > Date.now()) return cached.profile;
  let email: string | null = null;
  let name = from.name ?? id;
  try {
    const member = await TeamsInfo.getMember(turn, from.id);
    email = member.email ?? (member.userPrincipalName?.includes('@') ? member.userPrincipalName : null) ?? null;
    name = member.name || name;
  } catch (error) {
    log.debug('teams roster lookup failed; linking by id only', { error });
  }
  const profile = { id, email, name };
  profiles.set(id, { profile, until: Date.now() + CACHE_MS });
  return profile;
}

/**
 * The context of a Teams activity: the sender linked to their one person record (by
 * AAD object id, else by the roster's email, so whoever used Slack first is the same
 * person), their Teams locale choosing the language. Someone `MCR_ALLOWED_USERS`
 * does not list is refused before their record is read or made.
 */
export async function teamsContext(deps: AppDeps, turn: TurnContext, options: { submissionKey?: string } = {}): Promise<Context> {
  const profile = await profileOf(turn, deps.log);
  const conversation = turn.activity.conversation?.id;
  return platformContext(
    deps,
    { platform: 'teams', id: profile.id, email: profile.email, name: profile.name, locale: turn.activity.locale ?? null },
    { ...options, ...(conversation && { channel: { platform: 'teams', id: channelConversationId(conversation) } }) },
  );
}

/**
 * {@link teamsContext}, or when that fails (a bug, the person record refused) a
 * context with no rights and no record read or made, in the sender's Teams language,
 * enough to answer them with the apology and its reference; never throws.
 */
export async function teamsContextOrFallback(deps: AppDeps, turn: TurnContext, options: { submissionKey?: string } = {}): Promise<{ ctx: Context; error?: unknown }> {
  try {
    return { ctx: await teamsContext(deps, turn, options) };
  } catch (error) {
    const from = turn.activity.from;
    const locale = localeFromTag(turn.activity.locale, deps.config.language);
    const actor = { id: 0, name: from?.name ?? from?.id ?? '', email: null, slackId: null, teamsId: from?.aadObjectId ?? from?.id ?? null, locale: turn.activity.locale ?? null };
    return { ctx: contextFor(deps, actor, { locale, isAdmin: false, via: 'teams' }), error };
  }
}

/**
 * A channel thread's conversation id (`19:…@thread.tacv2;messageid=123`) without the
 * thread: what the bot posts to later starts a new post in the channel.
 */
export function channelConversationId(id: string): string {
  return id.replace(/;messageid=\d+$/, '');
}

/** For tests: forget cached profiles. */
export function clearTeamsProfileCache(): void {
  profiles.clear();
}
