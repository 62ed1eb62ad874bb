import { closestNames } from '../domain/names.ts';
import { DomainError } from '../domain/errors.ts';
import { isDatabaseUnavailable } from '../db/sql.ts';
import { labelKey, messageKey, t } from '../i18n/index.ts';
import { closest, grammarFor, parseCommand, type Parsed, replaceAt, serialize, type Target, tokenize } from './args.ts';
import type { Command, Context, FormHandler } from './command.ts';
import { AppError, InputError, invalidField, NameError, UsageError } from './errors.ts';
import type { Form, FormValues, Reply, ReplyImage } from './reply.ts';
import { checkValue, DEFAULT_GRAMMAR, usageReply } from './usage.ts';
import { textValue } from './forms.ts';
import type { MessageKey } from '../i18n/index.ts';
import { messageOf } from '../log.ts';
import { outcomeOf } from './metrics.ts';

/**
 * The commands a dispatcher serves, indexed once: the composition root (src/main.ts,
 * the CLI) builds it from commands/index.ts and hands it in through `AppDeps`, so the
 * core never reaches up to the commands.
 *
 * @example const deps: AppDeps = { db, config, log, commands: createDispatcher(commands) };
 */
export interface CommandIndex {
  list: readonly Command[];
  byName: ReadonlyMap<string, Command>;
  forms: ReadonlyMap<string, FormHandler>;
  /** The command each form belongs to (the `command` label of its submissions). */
  formCommand: ReadonlyMap<string, string>;
}

/** The dispatcher of these commands (what `runLine` and `submitForm` serve from `ctx.commands`), made once by a composition root. */
export function createDispatcher(list: readonly Command[]): CommandIndex {
  // A command whose subject can be picked gets a picker form (`rate.pick`) beside its own.
  const forms = (c: Command): Array<[string, FormHandler]> => [...Object.entries(c.forms ?? {}), ...(hasPicker(c) ? [[`${c.name}.pick`, pickerHandler(c)] as [string, FormHandler]] : [])];
  return {
    list,
    byName: new Map(list.map((c) => [c.name, c])),
    forms: new Map(list.flatMap(forms)),
    formCommand: new Map(list.flatMap((c) => forms(c).map(([id]) => [id, c.name] as const))),
  };
}

function hasPicker(command: Command): boolean {
  const grammar = command.grammar ?? DEFAULT_GRAMMAR;
  return [grammar, ...Object.values(grammar.subs ?? {})].some((g) => g.subject?.picker);
}

export function findCommand(commands: CommandIndex, name: string): Command | undefined {
  return commands.byName.get(name.toLowerCase());
}

/**
 * Splits a typed line into the command and its words: `/visit Acme`, `visit Acme`
 * and `mcr visit Acme` are the same; `/mcr` alone is help.
 */
export function splitLine(line: string): { name: string; words: string[] } {
  const words = tokenize(line.trim());
  let name = (words.shift() ?? 'help').replace(/^\//, '').toLowerCase();
  if (name === 'mcr') name = (words.shift() ?? 'help').toLowerCase();
  return { name, words };
}

/** Runs one typed command line and returns the reply; never throws. */
export async function runLine(ctx: Context, line: string): Promise<Reply> {
  const started = performance.now();
  const { name, words } = splitLine(line);
  const command = findCommand(ctx.commands, name);
  ctx.log.debug('command line', { line });
  let reply: Reply;
  const seen: { parsed?: Parsed } = {};
  try {
    if (ctx.unavailable !== undefined) throw ctx.unavailable;
    // Access is checked here, once for every channel, before anything is read.
    if (!ctx.isAllowed) throw new AppError('access.not_allowed');
    if (!command) throw unknownCommand(ctx, name, words);
    if (command.admin && !ctx.isAdmin) throw new AppError('access.admin_only');
    reply = withStatus(await runCommand(ctx, command, words, seen));
  } catch (error) {
    // A usage error found by the command itself (a level, a tier) is placed in the parsed line too.
    const placed = error instanceof UsageError && !error.parsed && seen.parsed ? new UsageError(error.problem, error.command, seen.parsed) : error;
    reply = errorReply(ctx, placed, seen.parsed && nameRetry(error, seen.parsed));
  }
  // The label is a name from the command list, never the word typed.
  done(ctx, 'command', command?.name ?? 'unknown', reply, started);
  return reply;
}

/**
 * Parses the words against the command's grammar and runs it. A line that does not fit
 * is a {@link UsageError} before anything is read or written; a missing subject opens
 * a picker where there are forms (not in the CLI); `--help` shows the command's help.
 */
async function runCommand(ctx: Context, command: Command, words: string[], seen: { parsed?: Parsed }): Promise<Reply> {
  const grammar = command.grammar ?? DEFAULT_GRAMMAR;
  const { parsed, args, problem } = parseCommand(command.name, grammar, words, checkValue);
  seen.parsed = parsed;
  const help = ctx.commands.byName.get('help');
  if (args.flags.help === true && help && command !== help) return help.run(ctx, { positional: [command.name], flags: {}, all: {} });
  if (problem) {
    const picker = problem.code === 'usage.missing_subject' && ctx.via !== 'cli' ? grammarFor(grammar, parsed.sub).subject?.picker : undefined;
    if (picker) return { blocks: [], form: pickerForm(ctx, command, parsed, picker), visibility: 'private' };
    throw new UsageError(problem, command.name, parsed);
  }
  return command.run(ctx, args);
}

/** The form that asks for a command's missing subject (`rate` → which contact?), then runs the command. */
function pickerForm(ctx: Context, command: Command, parsed: Parsed, source: 'account' | 'contact'): Form {
  const L = ctx.locale;
  const subject = grammarFor(command.grammar ?? DEFAULT_GRAMMAR, parsed.sub).subject!;
  const argument = t(L, `arg.${subject.name}` as MessageKey);
  return {
    id: `${command.name}.pick`,
    title: t(L, 'pick.title', { command: command.name, argument }),
    submitLabel: t(L, 'pick.submit'),
    fields: [{ id: 'subject', kind: 'lookup', source, multiple: false, label: argument, required: true }],
    values: {},
    errors: {},
    // The rest of the line (its flags) comes back with the pick.
    context: { line: serialize(parsed) },
  };
}

function pickerHandler(command: Command): FormHandler {
  return {
    submit: async (ctx, values, formContext) => {
      if (command.admin && !ctx.isAdmin) throw new AppError('access.admin_only');
      const picked = textValue(values.subject);
      if (!picked) throw new InputError({ subject: invalidField('subject', { code: 'validation.required' }) });
      const { words } = splitLine(formContext.line ?? command.name);
      return runCommand(ctx, command, [...words, picked], {});
    },
  };
}

/** An unknown command: the closest commands, each a button with the rest of the line kept, and `help`. */
function unknownCommand(ctx: Context, name: string, words: string[]): UsageError {
  const names = ctx.commands.list.filter((c) => !c.admin || ctx.isAdmin).map((c) => c.name);
  const candidates = [...new Set([...closest(name, names), ...closestNames(name, names.map((n) => ({ name: n })), 3).map((c) => c.name)])].slice(0, 3);
  return new UsageError({ code: 'command.unknown', value: name, candidates, target: { kind: 'command' } }, name, { command: name, positional: words, flags: [] });
}

/**
 * For a name that matched nothing (or too much): the part of the parsed line that
 * held it — subject words, a flag's value, or one item of a list flag — so each
 * candidate replaces exactly that part and nothing else.
 */
function nameRetry(error: unknown, parsed: Parsed): ((candidate: string) => string) | undefined {
  if (!(error instanceof NameError)) return undefined;
  const query = error.query.trim();
  const words = parsed.positional;
  for (let length = words.length; length > 0; length--) {
    for (let from = 0; from + length <= words.length; from++) {
      if (words.slice(from, from + length).join(' ').trim() === query) return (c) => serialize(replaceAt(parsed, { kind: 'words', from, to: from + length }, c));
    }
  }
  const index = parsed.flags.findIndex((f) => typeof f.value === 'string' && f.value.trim() === query);
  if (index >= 0) return (c) => serialize(replaceAt(parsed, { kind: 'value', index } satisfies Target, c));
  for (const [i, f] of parsed.flags.entries()) {
    if (typeof f.value !== 'string') continue;
    const items = f.value.split(/[,;，；、]/).map((v) => v.trim());
    const at = items.indexOf(query);
    if (items.length > 1 && at >= 0) return (c) => serialize(replaceAt(parsed, { kind: 'value', index: i }, items.map((v, j) => (j === at ? c : v)).join('; ')));
  }
  return undefined;
}

/** Submits a form (from a modal, a card or the console's questions); never throws. */
export async function submitForm(ctx: Context, formId: string, values: FormValues, formContext: Record<string, string> = {}): Promise<Reply> {
  const started = performance.now();
  const form = ctx.commands.forms.get(formId);
  ctx.log.debug('form submitted', { form: formId, values });
  let reply: Reply;
  try {
    if (ctx.unavailable !== undefined) throw ctx.unavailable;
    if (!ctx.isAllowed) throw new AppError('access.not_allowed');
    if (!form) throw new AppError('form.unknown', { form: formId });
    reply = withStatus(await form.submit(ctx, values, formContext));
  } catch (error) {
    reply = errorReply(ctx, error);
  }
  const formLabel = form ? formId : 'unknown';
  ctx.metrics.formSubmitted(ctx.via, formLabel, outcomeOf(reply));
  done(ctx, 'form', form ? ctx.commands.formCommand.get(formId)! : 'unknown', reply, started, formLabel);
  return reply;
}

/**
 * Counts a handled request and logs it: at info for the chat platforms (the server's
 * access log: ids, names from the command list, outcome, time; never what was typed),
 * at debug for the console and the CLI, whose terminal it would clutter.
 */
function done(ctx: Context, kind: 'command' | 'form', command: string, reply: Reply, started: number, form?: string): void {
  const seconds = (performance.now() - started) / 1000;
  const outcome = outcomeOf(reply);
  ctx.metrics.request(ctx.via, command, outcome, seconds);
  const code = reply.status === 'error' ? (reply.data as { error?: unknown } | undefined)?.error : undefined;
  const fields = { via: ctx.via, command, ...(form && { form }), outcome, ...(typeof code === 'string' && { code }), actor: ctx.actor.id, ms: Math.round(seconds * 1000) };
  if (ctx.via === 'console' || ctx.via === 'cli') ctx.log.debug(kind, fields);
  else ctx.log.info(kind, fields);
}

/** A form drawn again with these values (see `FormHandler.form`); undefined when the form cannot be. */
export function redrawForm(ctx: Context, formId: string, values: FormValues, formContext: Record<string, string>): Form | undefined {
  if (!ctx.isAllowed || ctx.unavailable !== undefined) return undefined;
  const form = ctx.commands.forms.get(formId)?.form?.(ctx, values, formContext);
  return form && { ...form, values, context: formContext };
}

/** Replies that did not fail say so, so adapters need not guess. */
function withStatus(reply: Reply): Reply {
  return reply.status ? reply : { ...reply, status: 'ok' };
}

/**
 * Turns anything thrown into a reply: a domain error into its translated message
 * (names offer the closest matches as buttons); anything else into a short apology
 * whose reference is the request id, which every log line of the request carries,
 * never a stack trace.
 */
export function errorReply(ctx: Context, error: unknown, retry?: (candidate: string) => string): Reply {
  if (error instanceof UsageError) {
    const command = ctx.commands.byName.get(error.command);
    return usageReply(ctx.locale, error, command?.usage ?? error.command);
  }
  if (error instanceof InputError) {
    const messages = error.messages(ctx.locale);
    return { blocks: [{ type: 'list', items: Object.values(messages) }], visibility: 'private', status: 'error', data: { error: 'input.invalid', fields: messages } };
  }
  if (error instanceof NameError) {
    const kind = t(ctx.locale, labelKey('kind', error.kind));
    const code = error.code === 'name.ambiguous' ? 'name.ambiguous' : 'name.not_found';
    const text = t(ctx.locale, error.candidates.length > 0 ? labelKey('error', `${code}.some`) : labelKey('error', code), { kind, query: error.query });
    const reply: Reply = { blocks: [{ type: 'text', text, tone: 'warning' }], visibility: 'private', status: 'error', data: { error: error.code, kind: error.kind, query: error.query, candidates: error.candidates } };
    if (error.candidates.length > 0 && retry) {
      reply.blocks.push({ type: 'actions', actions: error.candidates.map((c) => ({ label: c.label, command: retry(c.value) })) });
    }
    return reply;
  }
  // Domain errors of every layer, the database's conflicts among them (src/domain/errors.ts).
  const domainKey = error instanceof DomainError ? messageKey('error', error.code) : undefined;
  if (error instanceof DomainError && domainKey) {
    return { blocks: [{ type: 'text', text: t(ctx.locale, domainKey, error.vars), tone: 'warning' }], visibility: 'private', status: 'error', data: { error: error.code, ...error.vars } };
  }
  if (isDatabaseUnavailable(error)) {
    ctx.log.warn('database unavailable', { error: messageOf(error), actor: ctx.actor.id });
    return { blocks: [{ type: 'text', text: t(ctx.locale, 'error.db.unavailable'), tone: 'warning' }], visibility: 'private', status: 'error', data: { error: 'db.unavailable' } };
  }
  const ref = ctx.requestId;
  ctx.log.error('command failed', { error, actor: ctx.actor.id });
  return { blocks: [{ type: 'text', text: t(ctx.locale, 'error.unexpected', { ref }), tone: 'warning' }], visibility: 'private', status: 'error', data: { error: 'unexpected', ref } };
}

/**
 * What the asker is told when a reply's picture could not be drawn now (a refusal with a code:
 * `map.busy`, the drawing thread's backlog full): why, and a button that asks again. Undefined
 * for anything else, which the adapter logs, the answer already given standing.
 */
export function imageErrorReply(ctx: Context, image: ReplyImage, error: unknown): Reply | undefined {
  if (!(error instanceof AppError)) return undefined;
  const reply = errorReply(ctx, error);
  reply.blocks.push({ type: 'actions', actions: [{ label: t(ctx.locale, 'map.draw_again'), command: image.again }] });
  return reply;
}
