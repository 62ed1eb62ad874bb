import { userInfo } from 'node:os';
import { loadConfig, ConfigError } from '../config.ts';
import { createDb, migrateToLatest } from '../db/create-db.ts';
import { ensureLocalPerson } from '../db/person.repository.ts';
import { parseArgs, quote } from '../core/args.ts';
import { contextFor, type AppDeps } from '../core/context.ts';
import { findCommand, runLine, submitForm } from '../core/dispatch.ts';
import { runConsole } from '../console/console.ts';
import { renderText } from '../console/render-text.ts';
import { isIsoDate } from '../domain/dates.ts';
import { localeFromTag } from '../i18n/index.ts';
import { createLogger } from '../log.ts';

const USAGE = `Usage: mcr <command> [arguments] [--json] [--as-of YYYY-MM-DD] [--lang en|zh-CN]

  mcr console                  the local console
  mcr migrate                  apply pending database migrations
  mcr demo                     load a small fictional sample
  mcr brief ACCOUNT            the pre-meeting brief
  mcr tier [ACCOUNT]           tier status, or every account by tier
  mcr visit ACCOUNT --with "A; B" --summary "…" --next "what; owner; YYYY-MM-DD"
  mcr rate CONTACT LEVEL [--account A] [--dimension D] [--date D]
  mcr help                     every command`;

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
  if (name !== 'console' && name !== 'migrate' && !findCommand(name)) {
    io.stderr.write(`mcr: unknown command "${name}"\n\n${USAGE}\n`);
    return EXIT.usage;
  }

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT.user;
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const db = createDb(config.databaseUrl);
  try {
    const applied = await migrateToLatest(db);
    const deps: AppDeps = { db, config, log };
    if (name === 'migrate') {
      io.stdout.write(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
      return EXIT.ok;
    }
    const locale = typeof args.flags.lang === 'string' ? localeFromTag(args.flags.lang, config.language) : undefined;
    if (name === 'console') {
      await runConsole(deps, { input: io.stdin, output: io.stdout }, locale ? { locale } : {});
      return EXIT.ok;
    }
    const actor = await ensureLocalPerson(db, userInfo().username, new Date());
    const ctx = contextFor(deps, actor, { isAdmin: true, ...(asOf && { asOf }), ...(locale && { locale }) });
    const line = commandWords(argv).map(quote).join(' ');
    let reply = await runLine(ctx, line);
    if (reply.form) reply = await submitForm(ctx, reply.form.id, reply.form.values, reply.form.context);
    const failed = reply.status === 'error';
    if (failed) io.stderr.write(`${renderText({ ...reply, form: undefined })}\n`);
    else if (args.flags.json === true) io.stdout.write(`${JSON.stringify(reply.data ?? null, null, 2)}\n`);
    else io.stdout.write(`${renderText(reply)}\n`);
    if (!failed) return EXIT.ok;
    return (reply.data as { error?: string } | undefined)?.error === 'command.usage' ? EXIT.usage : EXIT.user;
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
