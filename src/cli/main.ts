import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { loadConfigOrSay } from '../config.ts';
import { hostname, tmpdir } from 'node:os';
import { sendDueDigests } from '../scheduler/jobs/send-digests.ts';
import { sendDueReminders } from '../scheduler/jobs/send-reminders.ts';
import { copyDatabase, tableCounts } from '../db/copy.ts';
import { createDb, isPostgresUrl, migrateToLatest, type Db } from '../db/create-db.ts';
import { describeDatabaseError } from '../db/open-errors.ts';
import { ensureLocalPerson } from '../db/person.repository.ts';
import { parseArgs, quote } from '../core/args.ts';
import { contextFor, type AppDeps } from '../core/context.ts';
import { commands } from '../../commands/index.ts';
import { findCommand, indexCommands, runLine, submitForm } from '../core/dispatch.ts';
import { runConsole } from '../console/console.ts';
import { forTerminal, renderText } from '../console/render-text.ts';
import { isIsoDate, todayIn } from '../domain/dates.ts';
import { backupDatabase } from '../db/backup.ts';
import { recordBackup } from '../db/backup.repository.ts';
import { IMPORT_KINDS, type ImportKind } from '../csv/columns.ts';
import { exportCsv } from '../csv/export-csv.ts';
import { importCsv, ImportError } from '../csv/import-csv.ts';
import { localeFromTag } from '../i18n/index.ts';
import { createLogger } from '../log.ts';

const USAGE = `Usage: mcr <command> [arguments] [--json] [--as-of YYYY-MM-DD] [--lang en|zh-CN]

  mcr console                  the local console
  mcr migrate                  apply pending database migrations
  mcr import accounts|contacts|activities|ratings FILE.csv
  mcr export DIR               every importable table as CSV
  mcr backup FILE              an online, consistent copy of the database (pg_dump on PostgreSQL)
  mcr copy --to postgres://…   this installation into an empty PostgreSQL database, verified
  mcr digest preview|list|subscribe|unsubscribe   scheduled digests (subscribe takes --channel slack:C123)
  mcr digest run [--as-of D]   send the digests and reminders due now (for system cron)
  mcr demo                     load a small fictional sample
  mcr brief ACCOUNT            the pre-meeting brief
  mcr tier [ACCOUNT]           tier status, or every account by tier
  mcr visit ACCOUNT --with "A; B" --summary "…" --next "what; owner; YYYY-MM-DD"
  mcr rate CONTACT LEVEL [--account A] [--dimension D] [--date D]
  mcr help                     every command`;

/** Commands of the operator's own, beside the chat commands. */
const OPERATOR_COMMANDS = ['console', 'migrate', 'import', 'export', 'backup', 'copy'];

/** Exit codes: 0 ok, 1 user error (message on stderr), 2 usage. */
export const EXIT = { ok: 0, user: 1, usage: 2 } as const;

/**
 * The `mcr` command line: the chat commands for admins and scripts, plus `console`
 * and `migrate`. Acts as the local operator, an admin. A form that a command would
 * open is submitted at once with the values the flags gave.
 */
export async function cli(argv: string[], io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  const args = parseArgs(argv);
  const name = args.positional[0];
  if (!name) {
    io.stderr.write(`${USAGE}\n`);
    return EXIT.usage;
  }
  const asOf = typeof args.flags['as-of'] === 'string' ? args.flags['as-of'] : undefined;
  if (args.flags['as-of'] !== undefined && (!asOf || !isIsoDate(asOf))) {
    io.stderr.write('--as-of: must be a date as YYYY-MM-DD\n');
    return EXIT.usage;
  }
  // The CLI entry is a composition root: it hands the command list to the core.
  const commandIndex = indexCommands(commands);
  if (!OPERATOR_COMMANDS.includes(name) && !findCommand(commandIndex, name)) {
    io.stderr.write(`mcr: unknown command "${name}"\n\n${USAGE}\n`);
    return EXIT.usage;
  }

  const config = loadConfigOrSay(io.stderr);
  if (!config) return EXIT.user;
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
    if (name === 'import' || name === 'export' || name === 'backup') return await dataCommand(deps, name, args.positional.slice(1), args.flags.json === true, io);
    if (name === 'copy') return await copyCommand(deps, args.flags.to, args.flags.json === true, io);
    if (name === 'digest' && args.positional[1] === 'run') return await digestRun(deps, asOf, args.flags.json === true, io);
    const locale = typeof args.flags.lang === 'string' ? localeFromTag(args.flags.lang, config.language) : undefined;
    if (name === 'console') {
      await runConsole(deps, { input: io.stdin, output: io.stdout }, locale ? { locale } : {});
      return EXIT.ok;
    }
    const actor = await ensureLocalPerson(db, userInfo().username, new Date());
    const ctx = contextFor(deps, actor, { isAdmin: true, via: 'cli', ...(asOf && { asOf }), ...(locale && { locale }) });
    const line = commandWords(argv).map(quote).join(' ');
    let reply = await runLine(ctx, line);
    if (reply.form) reply = await submitForm(ctx, reply.form.id, reply.form.values, reply.form.context);
    const failed = reply.status === 'error';
    if (failed) io.stderr.write(`${renderText({ ...reply, form: undefined })}\n`);
    else if (args.flags.json === true) io.stdout.write(`${JSON.stringify(reply.data ?? null, null, 2)}\n`);
    else io.stdout.write(`${renderText(reply)}\n`);
    if (!failed) return EXIT.ok;
    // An irreversible action without --yes is a usage error too: nothing was done (issue 15).
    return ['command.usage', 'confirm.required'].includes((reply.data as { error?: string } | undefined)?.error ?? '') ? EXIT.usage : EXIT.user;
  } finally {
    await db.destroy();
  }
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
  const { createOutbox } = await import('../main.ts');
  const jobDeps = { ...deps, outbox: createOutbox(deps), instance: `${hostname()}:${process.pid}:cli` };
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
async function copyCommand(deps: AppDeps, to: string | true | undefined, json: boolean, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  if (typeof to !== 'string' || !(isPostgresUrl(to) || to.startsWith('file:'))) return usage(io, 'mcr copy --to postgres://user:pass@host/db');
  const target = createDb(to, { poolSize: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'mcr-copy-'));
  try {
    await migrateToLatest(target);
    const copied = await copyDatabase(deps.db, target);
    const [ours, theirs] = [join(dir, 'from'), join(dir, 'to')];
    await deps.db.transaction().execute((trx) => exportCsv(trx, ours));
    await target.transaction().execute((trx) => exportCsv(trx, theirs));
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
async function dataCommand(deps: AppDeps, name: 'import' | 'export' | 'backup', words: string[], json: boolean, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream | NodeJS.WritableStream }): Promise<number> {
  const out = (data: unknown, text: string) => io.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`);
  if (name === 'backup') {
    if (words.length !== 1) return usage(io, 'mcr backup FILE');
    try {
      const madeAt = new Date();
      const result = await backupDatabase(deps.config.databaseUrl, words[0]!);
      // Recorded so that `forget` can say which copies still hold a person.
      const actor = await ensureLocalPerson(deps.db, userInfo().username, madeAt);
      await recordBackup(deps.db, { file: resolve(words[0]!), engine: result.engine, madeAt: madeAt.toISOString(), madeBy: actor.id });
      out({ file: words[0], ...result }, `Backed up to ${words[0]} (${result.engine === 'sqlite' ? `${result.pages} pages` : `pg_dump, ${result.bytes} bytes`}).`);
      return EXIT.ok;
    } catch (error) {
      io.stderr.write(`${(error as Error).message}\n`);
      return EXIT.user;
    }
  }
  if (name === 'export') {
    if (words.length !== 1) return usage(io, 'mcr export DIR');
    try {
      const counts = await deps.db.transaction().execute((trx) => exportCsv(trx, words[0]!));
      out(counts, `Exported to ${words[0]}: ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}.`);
      return EXIT.ok;
    } catch (error) {
      io.stderr.write(`export: ${(error as Error).message}\n`);
      return EXIT.user;
    }
  }
  const [kind, file] = words;
  if (!kind || !file || !IMPORT_KINDS.includes(kind as ImportKind)) return usage(io, `mcr import ${IMPORT_KINDS.join('|')} FILE.csv`);
  if (!existsSync(file)) {
    io.stderr.write(`import: ${file}: no such file\n`);
    return EXIT.user;
  }
  const actor = await ensureLocalPerson(deps.db, userInfo().username, new Date());
  const now = new Date();
  const bar = !json && (io.stderr as NodeJS.WriteStream).isTTY ? progressBar(io.stderr as NodeJS.WriteStream) : undefined;
  try {
    const result = await importCsv(deps.db, kind as ImportKind, file, { actorId: actor.id, now, today: todayIn(deps.config.timezone, now), ...(deps.metrics && { metrics: deps.metrics }), ...(bar && { onProgress: bar }) });
    bar?.(1, true);
    const { created, updated, unchanged } = result.counts;
    out(result, created + updated === 0 ? `${kind}: nothing changed (${unchanged} rows already in the database).` : `${kind}: ${created} created, ${updated} updated, ${unchanged} unchanged.`);
    return EXIT.ok;
  } catch (error) {
    bar?.(0, true);
    if (!(error instanceof ImportError)) throw error;
    // The problems quote the file's cells: printed safe for a terminal.
    io.stderr.write(forTerminal(`import: ${file} was not imported; nothing was written.\n${error.problems.join('\n')}\n`));
    return EXIT.user;
  }
}

function usage(io: { stderr: NodeJS.WritableStream }, text: string): number {
  io.stderr.write(`Usage: ${text}\n`);
  return EXIT.usage;
}

/** A progress bar on a terminal's stderr. */
function progressBar(stream: NodeJS.WriteStream): (share: number, done?: boolean) => void {
  return (share, done = false) => {
    const width = 30;
    const filled = Math.round(share * width);
    stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round(share * 100)}%`);
    if (done) stream.write('\n');
  };
}
