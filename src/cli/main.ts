import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfigOrSay } from '../config.ts';
import { hostname, tmpdir } from 'node:os';
import { sendDueDigests } from '../scheduler/jobs/send-digests.ts';
import { sendDueReminders } from '../scheduler/jobs/send-reminders.ts';
import { copyDatabase, tableCounts } from '../db/copy.ts';
import { createDb, isPostgresUrl, migrateToLatest, type Db } from '../db/create-db.ts';
import { describeDatabaseError } from '../db/open-errors.ts';
import { arg, closest, parseArgs, parseCommand, quote, type Grammar } from '../core/args.ts';
import { UsageError } from '../core/errors.ts';
import { checkValue, usageReply } from '../core/usage.ts';
import type { Reply } from '../core/reply.ts';
import { contextFor, type AppDeps } from '../core/context.ts';
import { resolveOperator } from '../core/operator.ts';
import type { Person } from '../domain/types.ts';
import { commands } from '../../commands/index.ts';
import { findCommand, createDispatcher, runLine, submitForm } from '../core/dispatch.ts';
import { runConsole } from '../console/console.ts';
import { columnsOf, forTerminal, renderText } from '../console/render-text.ts';
import { isIsoDate, todayIn } from '../domain/dates.ts';
import { backupDatabase } from '../db/backup.ts';
import { recordBackup } from '../db/backup.repository.ts';
import { IMPORT_KINDS, type ImportKind } from '../csv/columns.ts';
import { exportCsv } from '../csv/export-csv.ts';
import { importCsv, ImportError } from '../csv/import-csv.ts';
import { localeFromTag, t, type Locale } from '../i18n/index.ts';
import { importProgress } from './progress.ts';
import { createLogger } from '../log.ts';

/** The CLI's own usage, in the user's language (`--lang`, else `MCR_LANGUAGE`). */
const usageText = (locale: Locale) => t(locale, 'cli.usage');

/** Commands of the operator's own, beside the chat commands. */
const OPERATOR_COMMANDS = ['console', 'migrate', 'import', 'export', 'backup', 'copy'];

/**
 * Their grammars (the chat commands declare theirs in commands/): besides the CLI's own
 * `--json`, `--as-of` and `--lang`, only these flags; anything else is a usage error.
 */
const OPERATOR_GRAMMARS: Record<string, Grammar> = {
  console: {},
  migrate: {},
  import: { subject: { name: 'words' } },
  export: { subject: { name: 'words' } },
  backup: { subject: { name: 'words' } },
  copy: { flags: { to: arg.text('postgres://…') } },
  'digest run': {},
};

/** Exit codes: 0 ok, 1 user error (message on stderr), 2 usage. */
export const EXIT = { ok: 0, user: 1, usage: 2 } as const;

/**
 * Error codes that mean the command line itself is wrong (exit 2): the grammar's, and a
 * form the CLI had to submit with what the line gave (it has no forms to ask with).
 */
function isUsage(code: unknown, formAsked: boolean): boolean {
  return typeof code === 'string' && (code.startsWith('usage.') || code === 'command.unknown' || code === 'command.usage' || code === 'confirm.required' || (formAsked && code === 'input.invalid'));
}

/**
 * The `mcr` command line: the chat commands for admins and scripts, plus `console`
 * and `migrate`. Acts as the local operator, an admin. A form that a command would
 * open is submitted at once with the values the flags gave.
 */
export async function cli(argv: string[], io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  const args = parseArgs(argv);
  // The command is the first word that is not one of the CLI's own flags or their values.
  const name = commandWords(argv).find((w) => !w.startsWith('--'));
  const config = loadConfigOrSay(io.stderr);
  if (!config) return EXIT.user;
  const lang = typeof args.flags.lang === 'string' ? localeFromTag(args.flags.lang, config.language) : undefined;
  const L = lang ?? config.language;
  if (!name) {
    io.stderr.write(`${usageText(L)}\n`);
    return EXIT.usage;
  }
  // The CLI entry is a composition root: it hands the command list to the core.
  const commandIndex = createDispatcher(commands);
  const asOf = typeof args.flags['as-of'] === 'string' ? args.flags['as-of'] : undefined;
  if (args.flags['as-of'] !== undefined && (!asOf || !isIsoDate(asOf))) {
    const problem = { code: 'usage.bad_value' as const, flag: 'as-of', value: asOf ?? '', expects: 'date' as const };
    const reply = usageReply(L, new UsageError(problem, name), findCommand(commandIndex, name)?.usage ?? name);
    io.stderr.write(`${renderText({ ...reply, blocks: reply.blocks.filter((b) => b.type !== 'actions') })}\n`);
    return EXIT.usage;
  }
  const words = commandWords(argv).filter((w) => w !== name);
  const operatorCommand = name === 'digest' && words[0] === 'run' ? 'digest run' : OPERATOR_COMMANDS.includes(name) ? name : undefined;
  const problem = operatorCommand && parseCommand(operatorCommand, OPERATOR_GRAMMARS[operatorCommand]!, operatorCommand === 'digest run' ? words.slice(1) : words, checkValue).problem;
  if (problem) {
    // `help` knows the chat commands only: the CLI's usage follows instead.
    const reply = usageReply(L, new UsageError(problem, operatorCommand), operatorCommand, { seeHelp: false });
    io.stderr.write(`${renderText({ ...reply, blocks: reply.blocks.filter((b) => b.type !== 'actions') })}\n\n${usageText(L)}\n`);
    return EXIT.usage;
  }
  if (!OPERATOR_COMMANDS.includes(name) && !findCommand(commandIndex, name)) {
    const candidates = closest(name, [...OPERATOR_COMMANDS, ...commandIndex.list.map((c) => c.name)]);
    const reply = usageReply(L, new UsageError({ code: 'command.unknown', value: name, candidates }, name), name);
    io.stderr.write(`${renderText({ ...reply, blocks: reply.blocks.filter((b) => b.type !== 'actions') })}\n\n${usageText(L)}\n`);
    return EXIT.usage;
  }
  const log = createLogger(config.logLevel);
  let db: Db | undefined;
  let applied: string[];
  try {
    db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize });
    applied = await migrateToLatest(db);
  } catch (error) {
    // A database that cannot be opened or migrated: one line naming the setting and the fix.
    await db?.destroy().catch(() => undefined);
    const line = describeDatabaseError(error, config.databaseUrl);
    if (!line) throw error;
    io.stderr.write(`${line}\n`);
    return EXIT.user;
  }
  try {
    const deps: AppDeps = { db, config, log, commands: commandIndex };
    if (name === 'migrate') {
      io.stdout.write(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
      return EXIT.ok;
    }
    if (name === 'import' || name === 'export' || name === 'backup') return await dataCommand(deps, name, args.positional.slice(1), args.flags.json === true, io, L, asOf);
    if (name === 'copy') return await copyCommand(deps, args.flags.to, args.flags.json === true, io, L);
    if (name === 'digest' && args.positional[1] === 'run') return await digestRun(deps, asOf, args.flags.json === true, io);
    const locale = lang;
    if (name === 'console') {
      await runConsole(deps, { input: io.stdin, output: io.stdout }, locale ? { locale } : {});
      return EXIT.ok;
    }
    const actor = await operator(deps, io, locale);
    const ctx = contextFor(deps, actor, { isAdmin: true, via: 'cli', ...(asOf && { asOf }), ...(locale && { locale }) });
    const line = commandWords(argv).map(quote).join(' ');
    let reply = await runLine(ctx, line);
    // No forms here: a form is submitted with what the line gave; if that is not enough, the line was.
    const formAsked = reply.form !== undefined && reply.status !== 'error';
    if (formAsked && reply.form) reply = await submitForm(ctx, reply.form.id, reply.form.values, reply.form.context);
    const failed = reply.status === 'error';
    // Fitted to the terminal's width, or 80 columns for a pipe or a file.
    const text = (stream: unknown, shown: Reply) => renderText(shown, [], { width: columnsOf(stream), locale: ctx.locale });
    // Buttons cannot be pressed in a terminal: their commands are shown as lines to type.
    if (failed) io.stderr.write(`${text(io.stderr, { ...reply, form: undefined, blocks: reply.blocks.map((b) => (b.type === 'actions' ? { type: 'list' as const, items: b.actions.map((a) => `mcr ${a.command}`) } : b)) })}\n`);
    else if (args.flags.json === true) io.stdout.write(`${JSON.stringify(reply.data ?? null, null, 2)}\n`);
    else io.stdout.write(`${text(io.stdout, reply)}\n`);
    if (!failed) return EXIT.ok;
    // An irreversible action without --yes is a usage error too: nothing was done (issue 15).
    return isUsage((reply.data as { error?: string } | undefined)?.error, formAsked) ? EXIT.usage : EXIT.user;
  } finally {
    await db.destroy();
  }
}

/** Who the CLI acts as (MCR_OPERATOR, else the OS user, which it says how to change the first time). */
async function operator(deps: AppDeps, io: { stderr: NodeJS.WritableStream }, locale?: Locale): Promise<Person> {
  const { person, hint } = await resolveOperator(deps, new Date());
  if (hint?.firstUse) io.stderr.write(`${t(locale ?? deps.config.language, 'operator.hint', { user: hint.user })}\n`);
  return person;
}

/** The words meant for the command: argv without the CLI's own flags. */
function commandWords(argv: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--json') continue;
    if (word === '--as-of' || word === '--lang') {
      i++;
      continue;
    }
    if (/^--(as-of|lang)=/.test(word)) continue;
    words.push(word);
  }
  return words;
}

/**
 * `mcr digest run [--as-of D]`: sends the digests and reminders due now (or at noon
 * UTC of D), for operators who run it from system cron instead of the bot's own
 * scheduler. Exactly-once holds across both: they claim the same rows.
 */
async function digestRun(deps: AppDeps, asOf: string | undefined, json: boolean, io: { stdout: NodeJS.WritableStream }): Promise<number> {
  const now = asOf ? new Date(`${asOf}T12:00:00Z`) : new Date();
  // The platform SDKs are loaded only for this command: the composition root wires the posters.
  const { createOutbox } = await import('../outbox.ts');
  const jobDeps = { ...deps, outbox: await createOutbox(deps), instance: `${hostname()}:${process.pid}:cli` };
  const digests = await sendDueDigests(jobDeps, now);
  const reminders = await sendDueReminders(jobDeps, now);
  const report = { digests, reminders };
  io.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `Digests: ${digests.sent.length} sent, ${digests.skipped.length} skipped, ${digests.failed.length} failed. Reminders: ${reminders.sent.length} sent.\n`);
  return digests.failed.length + reminders.failed.length > 0 ? EXIT.user : EXIT.ok;
}

/**
 * `mcr copy --to postgres://…`: this installation into an empty database in one
 * consistent step, then checked: `mcr export` of both must be the same files, and
 * every table must hold as many rows.
 */
async function copyCommand(deps: AppDeps, to: string | true | undefined, json: boolean, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }, locale: Locale): Promise<number> {
  if (typeof to !== 'string' || !(isPostgresUrl(to) || to.startsWith('file:'))) return usage(io, 'mcr copy --to postgres://user:pass@host/db', locale);
  const target = createDb(to, { poolSize: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'mcr-copy-'));
  try {
    await migrateToLatest(target);
    const copied = await copyDatabase(deps.db, target);
    const [ours, theirs] = [join(dir, 'from'), join(dir, 'to')];
    await deps.db.transaction().setAccessMode('read only').execute((trx) => exportCsv(trx, ours));
    await target.transaction().setAccessMode('read only').execute((trx) => exportCsv(trx, theirs));
    const differing = readdirSync(ours).filter((file) => !readFileSync(join(ours, file)).equals(readFileSync(join(theirs, file))));
    const [fromCounts, toCounts] = [await tableCounts(deps.db), await tableCounts(target)];
    const uneven = Object.keys(fromCounts).filter((table) => fromCounts[table] !== toCounts[table]);
    if (differing.length + uneven.length > 0) {
      io.stderr.write(`copy: the copy differs from the source (${[...differing, ...uneven].join(', ')}); the source is unchanged.\n`);
      return EXIT.user;
    }
    const total = Object.values(copied).reduce((a, b) => a + b, 0);
    io.stdout.write(json ? `${JSON.stringify({ copied, verified: true }, null, 2)}\n` : `Copied ${total} rows (${Object.entries(copied).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(', ')}); verified: the export of both is identical.\n`);
    return EXIT.ok;
  } catch (error) {
    io.stderr.write(`${(error as Error).message.startsWith('copy:') ? '' : 'copy: '}${(error as Error).message}\n`);
    return EXIT.user;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await target.destroy();
  }
}

/** `import`, `export` and `backup`: the operator's data tools (issue 4). */
async function dataCommand(deps: AppDeps, name: 'import' | 'export' | 'backup', words: string[], json: boolean, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream | NodeJS.WritableStream }, locale: Locale = 'en', asOf?: string): Promise<number> {
  const out = (data: unknown, text: string) => io.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`);
  if (name === 'backup') {
    if (words.length !== 1) return usage(io, 'mcr backup FILE', locale);
    try {
      const madeAt = new Date();
      const result = await backupDatabase(deps.config.databaseUrl, words[0]!);
      // Recorded so that `forget` can say which copies still hold a person.
      const actor = await operator(deps, io);
      await recordBackup(deps.db, { file: resolve(words[0]!), engine: result.engine, madeAt: madeAt.toISOString(), madeBy: actor.id });
      out({ file: words[0], ...result }, `Backed up to ${words[0]} (${result.engine === 'sqlite' ? `${result.pages} pages` : `pg_dump, ${result.bytes} bytes`}).`);
      return EXIT.ok;
    } catch (error) {
      io.stderr.write(`${(error as Error).message}\n`);
      return EXIT.user;
    }
  }
  if (name === 'export') {
    if (words.length !== 1) return usage(io, 'mcr export DIR', locale);
    try {
      const counts = await deps.db.transaction().setAccessMode('read only').execute((trx) => exportCsv(trx, words[0]!));
      out(counts, `Exported to ${words[0]}: ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}.`);
      return EXIT.ok;
    } catch (error) {
      io.stderr.write(`export: ${(error as Error).message}\n`);
      return EXIT.user;
    }
  }
  const [kind, file] = words;
  if (!kind || !file || !IMPORT_KINDS.includes(kind as ImportKind)) return usage(io, `mcr import ${IMPORT_KINDS.join('|')} FILE.csv`, locale);
  if (!existsSync(file)) {
    io.stderr.write(`${forTerminal(t(locale, 'import.no_file', { file }))}\n`);
    return EXIT.user;
  }
  const actor = await operator(deps, io);
  const now = new Date();
  const bar = json ? undefined : await importProgress(io.stderr, kind, file, locale);
  try {
    const result = await importCsv(deps.db, kind as ImportKind, file, { actorId: actor.id, now, today: asOf ?? todayIn(deps.config.timezone, now), ...(deps.metrics && { metrics: deps.metrics }), ...(bar && { onProgress: bar.onProgress }) });
    bar?.stop();
    const { created, updated, unchanged } = result.counts;
    out(result, t(locale, created + updated === 0 ? 'import.nothing' : 'import.done', { kind, created, updated, unchanged }));
    return EXIT.ok;
  } catch (error) {
    bar?.stop();
    if (!(error instanceof ImportError)) throw error;
    // The problems quote the file's cells: printed safe for a terminal, in the operator's language.
    io.stderr.write(forTerminal(`${t(locale, 'import.not_imported', { file })}\n${error.lines(locale).join('\n')}\n`));
    return EXIT.user;
  }
}

function usage(io: { stderr: NodeJS.WritableStream }, text: string, locale: Locale): number {
  io.stderr.write(`${t(locale, 'error.command.usage', { usage: text })}\n`);
  return EXIT.usage;
}
