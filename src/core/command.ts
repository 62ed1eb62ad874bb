import type { Db } from '../db/create-db.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { Rules } from '../domain/rules.ts';
import type { Person } from '../domain/types.ts';
import type { Locale, MessageKey } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { Args, Grammar } from './args.ts';
import type { CommandIndex } from './dispatch.ts';
import type { Metrics, Via } from './metrics.ts';
import type { Form, FormValues, Reply } from './reply.ts';

/** Everything a command may use; adapters build it per request. */
export interface Context {
  db: Db;
  rules: Rules;
  /** The clock, read once by the adapter (or set by `--as-of`). */
  now: Date;
  /** The calendar day of `now` in `timezone`. */
  today: IsoDate;
  timezone: string;
  locale: Locale;
  /** Who is acting: one of our people. */
  actor: Person;
  isAdmin: boolean;
  /** `MCR_ALLOWED_USERS` lets this person use the bot (everyone, when the list is empty). */
  isAllowed: boolean;
  /** Every line carries this request's `requestId`. */
  log: Logger;
  /** One id per request (a Slack request, a Teams activity, a console or CLI line, a scheduled send): in every log line of it, and the reference an apology shows. */
  requestId: string;
  /** Where the request came in. */
  via: Via;
  metrics: Metrics;
  /** The commands this bot serves, for dispatch and `help`. */
  commands: CommandIndex;
  /** Set by adapters for submissions that may be retried: the write happens once per key. */
  submissionKey?: string;
  /** The chat channel the command was typed in (digests subscribe it); absent in the console and CLI. */
  channel?: ChatChannel;
  /**
   * Set when the database could not be read to find the actor (an outage): the error.
   * Every command and form then answers "temporarily unavailable, nothing was saved"
   * in the platform's language, instead of the request going unanswered.
   */
  unavailable?: unknown;
}

export interface ChatChannel {
  platform: 'slack' | 'teams';
  /** Slack channel id, or Teams conversation id. */
  id: string;
}

export interface FormHandler {
  submit(ctx: Context, values: FormValues, formContext: Record<string, string>): Promise<Reply>;
  /**
   * The form again, showing these values: channels whose forms cannot change in place
   * (Teams cards) redraw it to add a row or to follow a chosen account. Forms with rows
   * or dependent lookups define it.
   */
  form?(ctx: Context, values: FormValues, formContext: Record<string, string>): Form;
}

/**
 * A chat command, defined once and served by every channel.
 *
 * @example
 * export const tier = defineCommand({
 *   name: 'tier',
 *   usage: 'tier [account]',
 *   summary: 'cmd.tier.summary',
 *   examples: ['tier Acme'],
 *   grammar: { subject: { name: 'account' } },
 *   run: async (ctx, args) => tierStatus(ctx, args.positional.join(' ')),
 * });
 */
export interface Command {
  name: string;
  usage: string;
  summary: MessageKey;
  examples: string[];
  /**
   * Its arguments: sub-commands, subject words and flags with their types. Parsing,
   * `help`, usage errors, the CLI and the console's completion come from it; a line
   * that does not fit is refused before `run` (nothing written). Without one, the
   * command takes words and no flags.
   */
  grammar?: Grammar;
  /** Only admins may run it at all (finer checks live in the command). */
  admin?: boolean;
  /** It has a slash command of its own in Slack (`/visit`); all commands are also `/mcr <name>`. */
  slash?: boolean;
  run(ctx: Context, args: Args): Promise<Reply>;
  /** Forms this command opens, by form id (`visit`, `rate.dimensions`, …). */
  forms?: Record<string, FormHandler>;
}

export function defineCommand(command: Command): Command {
  return command;
}
