import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import type { PlatformUser } from '../db/person.repository.ts';
import { isDatabaseUnavailable } from '../db/sql.ts';
import { todayIn, type IsoDate } from '../domain/dates.ts';
import type { Person } from '../domain/types.ts';
import { localeFromTag, type Locale } from '../i18n/index.ts';
import { newRequestId, withFields, type Logger } from '../log.ts';
import { systemClock, type Clock } from './clock.ts';
import type { ChatChannel, Context } from './command.ts';
import type { CommandIndex } from './dispatch.ts';
import { noMetrics, type Metrics, type Via } from './metrics.ts';
import { linkPerson } from './people.ts';

/** What every adapter holds for the life of the process. */
export interface AppDeps {
  db: Db;
  config: Config;
  log: Logger;
  /** What the bot counts; nothing without `METRICS_TOKEN`. */
  metrics?: Metrics;
  /** The commands it serves (commands/index.ts, handed in by the composition root). */
  commands: CommandIndex;
  /** What the time is (the system clock unless a test fixes it). */
  clock?: Clock;
}

/**
 * The context of one request: the actor, their language (their platform locale, else
 * their saved one, else `MCR_LANGUAGE`) and admin rights, and the day it is in
 * `MCR_TIMEZONE` — or the `--as-of` day, evaluated at its noon. A new request id
 * unless given; `via` is where the request came in (the local console unless told).
 */
export function contextFor(
  deps: AppDeps,
  actor: Person,
  options: { now?: Date; asOf?: IsoDate; locale?: Locale; isAdmin?: boolean; submissionKey?: string; channel?: ChatChannel; via?: Via; requestId?: string; unavailable?: unknown } = {},
): Context {
  const { config } = deps;
  const requestId = options.requestId ?? newRequestId();
  const now = options.asOf ? new Date(`${options.asOf}T12:00:00Z`) : options.now ?? (deps.clock ?? systemClock).now();
  const isAdmin = options.isAdmin ?? listed(actor, config.admins);
  // Admins may always use the bot; the local operator is an admin.
  const isAllowed = isAdmin || mayUse(config, actor);
  return {
    db: deps.db,
    rules: config.rules,
    now,
    today: options.asOf ?? todayIn(config.timezone, now),
    timezone: config.timezone,
    locale: options.locale ?? localeFromTag(actor.locale, config.language),
    actor,
    isAdmin,
    isAllowed,
    log: withFields(deps.log, { requestId }),
    requestId,
    via: options.via ?? 'console',
    metrics: deps.metrics ?? noMetrics,
    commands: deps.commands,
    ...(options.submissionKey && { submissionKey: options.submissionKey }),
    ...(options.channel && { channel: options.channel }),
    ...(options.unavailable !== undefined && { unavailable: options.unavailable }),
  };
}

/**
 * The context of a chat platform's user (Slack, Teams): linked to their one person
 * record (by platform id, else by email, so whoever used the other platform first is
 * the same person), their platform locale choosing the language. Someone
 * `MCR_ALLOWED_USERS` does not list is refused before their record is read or made.
 */
export async function platformContext(deps: AppDeps, user: PlatformUser, options: { submissionKey?: string; channel?: ChatChannel } = {}): Promise<Context> {
  const locale = localeFromTag(user.locale, deps.config.language);
  const ids = { email: user.email, slackId: user.platform === 'slack' ? user.id : null, teamsId: user.platform === 'teams' ? user.id : null };
  if (!mayUse(deps.config, ids)) {
    return contextFor(deps, { id: 0, name: user.name, ...ids, locale: user.locale }, { locale, isAdmin: false, via: user.platform });
  }
  let person: Person;
  try {
    person = await linkPerson(deps, user);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    // Who they are cannot be read: still answered ("temporarily unavailable"), in their platform's language.
    return contextFor(deps, { id: 0, name: user.name, ...ids, locale: user.locale }, { locale, isAdmin: false, ...options, via: user.platform, unavailable: error });
  }
  return contextFor(deps, person, { locale, ...options, via: user.platform });
}

/** Is the person on a settings list of emails and platform user ids (case-insensitive)? */
export function listed(person: Pick<Person, 'email' | 'slackId' | 'teamsId'>, list: readonly string[]): boolean {
  const ids = [person.email, person.slackId, person.teamsId].filter((id): id is string => id !== null).map((id) => id.toLowerCase());
  return list.some((entry) => ids.includes(entry.toLowerCase()));
}

/** May someone with these platform ids use the bot? Checked before any record of them is read or made. */
export function mayUse(config: Config, person: Pick<Person, 'email' | 'slackId' | 'teamsId'>): boolean {
  return config.allowedUsers.length === 0 || listed(person, config.allowedUsers) || listed(person, config.admins);
}
