import type { webApi } from '@slack/bolt';
import type { ChatChannel, Context } from '../core/command.ts';
import { contextFor, platformContext, type AppDeps } from '../core/context.ts';
import { linkPickedPeople, type PeopleDirectory } from '../core/people.ts';
import type { FormValues } from '../core/reply.ts';

type WebClient = webApi.WebClient;

interface SlackProfile {
  id: string;
  email: string | null;
  name: string;
  locale: string | null;
}

const CACHE_MS = 10 * 60_000;
const profiles = new Map<string, { profile: SlackProfile; until: number }>();

/** A Slack user's email, name and locale from `users.info`, cached for ten minutes. */
async function profileOf(client: WebClient, userId: string): Promise<SlackProfile> {
  const cached = profiles.get(userId);
  if (cached && cached.until > Date.now()) return cached.profile;
  const { user } = await client.users.info({ user: userId, include_locale: true });
  const profile = {
    id: userId,
    email: user?.profile?.email ?? null,
    name: user?.profile?.real_name || user?.real_name || user?.name || userId,
    locale: user?.locale ?? null,
  };
  profiles.set(userId, { profile, until: Date.now() + CACHE_MS });
  return profile;
}

/**
 * The context of a Slack request: the user linked to their one person record (by
 * Slack id, else by email), their Slack locale choosing the language. Someone
 * `MCR_ALLOWED_USERS` does not list is refused before their record is read or made.
 */
export async function slackContext(deps: AppDeps, client: WebClient, userId: string, options: { submissionKey?: string; channel?: ChatChannel } = {}): Promise<Context> {
  const profile = await profileOf(client, userId);
  return platformContext(deps, { platform: 'slack', id: userId, email: profile.email, name: profile.name, locale: profile.locale }, options);
}

/**
 * The context of a Slack request whose user could not be looked up at all (Slack's
 * `users.info` failed, or a bug): enough to answer them with an apology in
 * `MCR_LANGUAGE`, with no rights and no record read or made.
 */
export function fallbackContext(deps: AppDeps, userId: string): Context {
  return contextFor(deps, { id: 0, name: userId, email: null, slackId: userId, teamsId: null, locale: null }, { isAdmin: false });
}

/** {@link slackContext}, or {@link fallbackContext} when even that fails; never throws. */
export async function slackContextOrFallback(deps: AppDeps, client: WebClient, userId: string, options: { submissionKey?: string; channel?: ChatChannel } = {}): Promise<{ ctx: Context; error?: unknown }> {
  try {
    return { ctx: await slackContext(deps, client, userId, options) };
  } catch (error) {
    return { ctx: fallbackContext(deps, userId), error };
  }
}

/** Slack's directory of people (`users.info`), the port the core links people through. */
export function slackDirectory(client: WebClient): PeopleDirectory {
  return { platform: 'slack', profile: async (userId) => ({ platform: 'slack', ...(await profileOf(client, userId)) }) };
}

/** Person fields of a modal come as `slack:U123`: each becomes the person's `#id`. */
export function withPeople(deps: AppDeps, client: WebClient, values: FormValues): Promise<FormValues> {
  return linkPickedPeople(deps, slackDirectory(client), values);
}

/** For tests: forget cached profiles. */
export function clearProfileCache(): void {
  profiles.clear();
}
