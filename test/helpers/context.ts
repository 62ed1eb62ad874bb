import type { Context } from '../../src/core/command.ts';
import { contextFor } from '../../src/core/context.ts';
import { commands } from '../../commands/index.ts';
import { createDispatcher, runLine, submitForm } from '../../src/core/dispatch.ts';
import type { FormValues, Reply } from '../../src/core/reply.ts';
import type { Config } from '../../src/config.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/create-db.ts';
import { ensureLocalPerson, ensurePersonByRef } from '../../src/db/person.repository.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { createLogger, type Logger } from '../../src/log.ts';


/** The bot's commands, indexed as the composition root hands them to the core. */
export const commandIndex = createDispatcher(commands);

/** A config as from an empty environment, with overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ DATABASE_URL: 'file::memory:' }), ...overrides } satisfies Config;
}

/** A logger that keeps its lines for assertions instead of writing them. */
export function memoryLogger(): Logger & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return Object.assign(createLogger('debug', (line) => lines.push(JSON.parse(line))), { lines });
}

export interface TestActor {
  ctx: Context;
  /** What the actor's commands logged (`ctx.log` adds the request id to each line). */
  log: ReturnType<typeof memoryLogger>;
  /** Runs a typed command line as this actor. */
  run(line: string): Promise<Reply>;
  /** Submits a form as this actor. */
  submit(formId: string, values: FormValues, formContext?: Record<string, string>): Promise<Reply>;
}

/**
 * A context for a person on a real database, as an adapter builds it. `as` is an
 * email (an ordinary user) or omitted (the local operator, an admin).
 */
export async function actor(
  db: Db,
  options: { as?: string; today?: string; locale?: Locale; admin?: boolean; config?: Partial<Config>; submissionKey?: string } = {},
): Promise<TestActor> {
  const now = new Date(`${options.today ?? '2026-11-24'}T10:00:00Z`);
  const person = options.as ? (await ensurePersonByRef(db, options.as, now))! : await ensureLocalPerson(db, 'tester', now);
  const log = memoryLogger();
  const ctx = contextFor({ db, config: testConfig(options.config), log, commands: commandIndex }, person, {
    now,
    // Unless told, the local operator is an admin and others are as MCR_ADMINS says.
    isAdmin: options.admin ?? (options.as ? undefined : true),
    ...(options.locale && { locale: options.locale }),
    ...(options.submissionKey && { submissionKey: options.submissionKey }),
  });
  return { ctx, log, run: (line) => runLine(ctx, line), submit: (formId, values, formContext) => submitForm(ctx, formId, values, formContext) };
}

/** All the text of a reply, for "the user sees …" assertions. */
export function replyText(reply: Reply): string {
  const parts: string[] = [reply.title ?? ''];
  for (const block of reply.blocks) {
    if (block.type === 'heading' || block.type === 'text') parts.push(block.text);
    else if (block.type === 'fields') parts.push(...block.fields.map((f) => `${f.label}: ${f.value}`));
    else if (block.type === 'list') parts.push(...block.items);
    else if (block.type === 'table') parts.push(block.columns.join(' | '), ...block.rows.map((r) => r.join(' | ')));
    else parts.push(...block.actions.map((a) => `[${a.label}](${a.command})`));
  }
  return parts.join('\n');
}
