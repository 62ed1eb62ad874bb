import { closestNames } from '../domain/names.ts';
import { isDatabaseUnavailable } from '../db/sql.ts';
import { labelKey, t } from '../i18n/index.ts';
import { parseArgs, quote, tokenize } from './args.ts';
import type { Command, Context, FormHandler } from './command.ts';
import { AppError, InputError, NameError } from './errors.ts';
import type { Form, FormValues, Reply } from './reply.ts';
import { messageOf } from '../log.ts';
import { outcomeOf } from './metrics.ts';

/**
 * The commands a dispatcher serves, indexed once: the composition root (src/main.ts,
 * the CLI) builds it from commands/index.ts and hands it in through `AppDeps`, so the
 * core never reaches up to the commands.
 *
 * @example const deps: AppDeps = { db, config, log, commands: indexCommands(commands) };
 */
export interface CommandIndex {
  list: readonly Command[];
  byName: ReadonlyMap<string, Command>;
  forms: ReadonlyMap<string, FormHandler>;
  /** The command each form belongs to (the `command` label of its submissions). */
  formCommand: ReadonlyMap<string, string>;
}

export function indexCommands(list: readonly Command[]): CommandIndex {
  return {
    list,
    byName: new Map(list.map((c) => [c.name, c])),
    forms: new Map(list.flatMap((c) => Object.entries(c.forms ?? {}))),
    formCommand: new Map(list.flatMap((c) => Object.keys(c.forms ?? {}).map((id) => [id, c.name] as const))),
  };
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
  try {
    if (ctx.unavailable !== undefined) throw ctx.unavailable;
    // Access is checked here, once for every channel, before anything is read.
    if (!ctx.isAllowed) throw new AppError('access.not_allowed');
    if (!command) {
      const close = closestNames(name, ctx.commands.list.map((c) => ({ name: c.name })), 3);
      throw new NameError('name.not_found', 'command', name, close.map((c) => ({ value: c.name, label: c.name })));
    }
    if (command.admin && !ctx.isAdmin) throw new AppError('access.admin_only');
    reply = withStatus(await command.run(ctx, parseArgs(words)));
  } catch (error) {
    const retry = (candidate: string) => (command ? line.replace(lastQuery(error) ?? '', quote(candidate)) : [candidate, ...words.map(quote)].join(' '));
    reply = errorReply(ctx, error, retry);
  }
  // The label is a name from the command list, never the word typed.
  done(ctx, 'command', command?.name ?? 'unknown', reply, started);
  return reply;
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

function lastQuery(error: unknown): string | undefined {
  return error instanceof NameError ? error.query : undefined;
}

/**
 * Turns anything thrown into a reply: a domain error into its translated message
 * (names offer the closest matches as buttons); anything else into a short apology
 * whose reference is the request id, which every log line of the request carries,
 * never a stack trace.
 */
export function errorReply(ctx: Context, error: unknown, retry?: (candidate: string) => string): Reply {
  if (error instanceof InputError) {
    return { blocks: [{ type: 'list', items: Object.values(error.fieldErrors) }], visibility: 'private', status: 'error', data: { error: 'input.invalid', fields: error.fieldErrors } };
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
  if (error instanceof AppError) {
    return { blocks: [{ type: 'text', text: t(ctx.locale, labelKey('error', error.code), error.vars), tone: 'warning' }], visibility: 'private', status: 'error', data: { error: error.code, ...error.vars } };
  }
  if (isDatabaseUnavailable(error)) {
    ctx.log.warn('database unavailable', { error: messageOf(error), actor: ctx.actor.id });
    return { blocks: [{ type: 'text', text: t(ctx.locale, 'error.db.unavailable'), tone: 'warning' }], visibility: 'private', status: 'error', data: { error: 'db.unavailable' } };
  }
  const ref = ctx.requestId;
  ctx.log.error('command failed', { error, actor: ctx.actor.id });
  return { blocks: [{ type: 'text', text: t(ctx.locale, 'error.unexpected', { ref }), tone: 'warning' }], visibility: 'private', status: 'error', data: { error: 'unexpected', ref } };
}
