import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { both, importsOf, not, sourceFiles, under, violations, type BoundaryRule, type SourceFile } from './helpers/boundaries.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The rules hold for the bot's code: src/, commands/ and migrations/. bench/ and test/
 * are outside them on purpose: benchmarks and tests read and write tables directly to
 * set up and check what the code did (see docs/architecture.md).
 */
const CODE = ['src', 'commands', 'migrations'];

const SLACK_SDK = (s: string) => s.startsWith('@slack/');
const TEAMS_SDK = (s: string) => /^(botbuilder|botframework-|@microsoft\/teams-ai)/.test(s);
const PLATFORM_SDK = (s: string) => SLACK_SDK(s) || TEAMS_SDK(s);
const ADAPTERS = ['src/slack', 'src/teams', 'src/console', 'src/http'];
const ENTRIES = ['src/cli', 'src/main.ts'];
const DATABASE_PACKAGES = (s: string) => /^(kysely|better-sqlite3|pg)(\/|$)/.test(s);

/** Each rule, and a file that breaks it (planted, never on disk) — the rule must catch it. */
const RULES: Array<{ rule: BoundaryRule; planted: SourceFile; allowed?: SourceFile }> = [
  {
    rule: { name: 'only src/slack/ imports @slack/*', files: not(under('src/slack')), forbids: SLACK_SDK },
    planted: { path: 'src/teams/cards.ts', text: "const { App } = await import('@slack/bolt');" },
    allowed: { path: 'src/slack/app.ts', text: "import { App } from '@slack/bolt';" },
  },
  {
    rule: { name: 'only src/teams/ imports botbuilder, @microsoft/teams-ai, botframework-*', files: not(under('src/teams')), forbids: TEAMS_SDK },
    planted: { path: 'src/slack/post.ts', text: "import type { TurnContext } from 'botbuilder';" },
    allowed: { path: 'src/teams/app.ts', text: "import { Application } from '@microsoft/teams-ai';\nimport { CloudAdapter } from 'botbuilder';" },
  },
  {
    rule: { name: 'src/core/ and src/domain/ import no platform SDK and nothing from commands/', files: under('src/core', 'src/domain'), forbids: (s) => PLATFORM_SDK(s) || under('commands')(s) },
    planted: { path: 'src/core/dispatch.ts', text: "const { commands } = await import('../../commands/index.ts');" },
    allowed: { path: 'src/main.ts', text: "import { commands } from '../commands/index.ts';" },
  },
  {
    rule: { name: 'commands/ import no platform SDK, no adapter and no entry point (they are channel-neutral)', files: under('commands'), forbids: (s) => PLATFORM_SDK(s) || under(...ADAPTERS, ...ENTRIES, 'src/scheduler')(s) },
    planted: { path: 'commands/visit.ts', text: "import { formModal } from '../src/slack/modal.ts';" },
    allowed: { path: 'commands/visit.ts', text: "import { transact } from '../src/core/transact.ts';" },
  },
  {
    rule: { name: 'src/scheduler/ imports no adapter: the posters implement the core\'s Poster port and main hands them in', files: under('src/scheduler'), forbids: under(...ADAPTERS, ...ENTRIES) },
    planted: { path: 'src/scheduler/jobs/send-digests.ts', text: "export { createSlackPoster } from '../../slack/post.ts';" },
    allowed: { path: 'src/scheduler/jobs/send-digests.ts', text: "import type { Poster } from '../../core/outbox.ts';" },
  },
  {
    rule: { name: 'adapters and the scheduler import nothing from commands/: the composition root hands the command list in (AppDeps.commands)', files: under(...ADAPTERS, 'src/scheduler'), forbids: under('commands') },
    planted: { path: 'src/slack/listeners/commands.ts', text: "import { commands } from '../../../commands/index.ts';" },
    allowed: { path: 'src/cli/main.ts', text: "import { commands } from '../../commands/index.ts';" },
  },
  {
    rule: { name: 'Kysely and the database drivers only in src/db/ and migrations/', files: not(under('src/db', 'migrations')), forbids: DATABASE_PACKAGES },
    planted: { path: 'src/core/transact.ts', text: "import type { Transaction } from 'kysely';" },
    allowed: { path: 'migrations/20261124090000_initial.ts', text: "import { sql, type Kysely } from 'kysely';" },
  },
  {
    rule: { name: 'Kysely queries only in src/db/ and migrations/ (everything else calls a repository)', files: not(under('src/db', 'migrations')), reads: /\.(selectFrom|insertInto|updateTable|deleteFrom)\(/ },
    planted: { path: 'src/demo/sample.ts', text: "await db.updateTable('people').set({ name }).where('id', '=', id).execute();" },
    allowed: { path: 'src/db/person.repository.ts', text: "await db.updateTable('people').set({ name }).execute();" },
  },
  {
    rule: { name: 'src/slack/ and src/teams/ read the database only through the core (adapters render and transport)', files: under('src/slack', 'src/teams'), forbids: under('src/db') },
    planted: { path: 'src/slack/reply.ts', text: "import { findPersonById } from '../db/person.repository.ts';" },
    allowed: { path: 'src/slack/reply.ts', text: "import { prefilledPerson } from '../core/people.ts';" },
  },
  {
    rule: {
      name: 'src/domain/ is pure: it imports only src/domain/ (no database, no node:fs/net/http), reads no clock and no environment',
      files: under('src/domain'),
      forbids: (s) => s.startsWith('node:') || DATABASE_PACKAGES(s) || (s.startsWith('src/') && !under('src/domain')(s)) || under('commands')(s),
      reads: /process\.env|Date\.now\(\)|new Date\(\)/,
    },
    planted: { path: 'src/domain/cadence.ts', text: "export const today = () => new Date().toISOString().slice(0, 10);" },
    allowed: { path: 'src/domain/cadence.ts', text: "import { addDays } from './dates.ts';\nexport const due = (now: Date) => addDays(now.toISOString().slice(0, 10), 7);" },
  },
  {
    rule: { name: 'src/db/ points down only: it imports no core, commands, adapter, scheduler or entry point', files: under('src/db'), forbids: under('src/core', 'commands', 'src/scheduler', ...ADAPTERS, ...ENTRIES) },
    planted: { path: 'src/db/account.repository.ts', text: "import { AppError } from '../core/errors.ts';" },
    allowed: { path: 'src/db/account.repository.ts', text: "import { ConflictError } from '../domain/errors.ts';" },
  },
  {
    rule: { name: 'src/core/ imports no adapter, scheduler or entry point (they implement its ports)', files: under('src/core'), forbids: under('src/scheduler', ...ADAPTERS, ...ENTRIES) },
    planted: { path: 'src/core/outbox.ts', text: "import { createTeamsPoster } from '../teams/post.ts';" },
    allowed: { path: 'src/core/outbox.ts', text: "import type { Person } from '../domain/types.ts';" },
  },
  {
    rule: { name: 'prom-client lives in src/metrics/prometheus.ts: the rest counts through the Metrics port', files: not(under('src/metrics/prometheus.ts')), forbids: (s) => s === 'prom-client' || s.startsWith('prom-client/') },
    planted: { path: 'src/core/dispatch.ts', text: "import { Counter } from 'prom-client';" },
    allowed: { path: 'src/metrics/prometheus.ts', text: "import { Registry } from 'prom-client';" },
  },
  {
    rule: { name: 'pino lives in src/log.ts: the rest logs through the Logger port', files: not(under('src/log.ts')), forbids: (s) => s === 'pino' || s.startsWith('pino/') },
    planted: { path: 'commands/visit.ts', text: "import pino from 'pino';" },
    allowed: { path: 'src/log.ts', text: "import pino from 'pino';" },
  },
  {
    rule: { name: 'every dynamic import names its module (a computed one would slip past the rules above)', files: () => true, reads: /\b(import|require)\(\s*[^'"\s)]/ },
    planted: { path: 'src/main.ts', text: "const poster = await import(`./${platform}/post.ts`);" },
    allowed: { path: 'src/main.ts', text: "const { createSlackPoster } = await import('./slack/post.ts');" },
  },
  {
    rule: { name: "zod is imported as a namespace (import * as z): with import { z } the bundle keeps all of zod's locales, 560 KB more for every thread to load at start", files: () => true, reads: /import\s+(type\s+)?\{[^}]*\bz\b[^}]*\}\s*from\s*['"]zod['"]/ },
    planted: { path: 'src/config.ts', text: "import { existsSync } from 'node:fs';\nimport { z } from 'zod';" },
    allowed: { path: 'src/config.ts', text: "import * as z from 'zod';\nimport type * as zt from 'zod';" },
  },
  {
    rule: {
      name: "src/slack/receiver.ts, all the thread reading Slack's requests loads of the Slack side, imports none of the bot (app.ts's listeners bring every command: ~0.35 s of a cold start on that thread)",
      files: under('src/slack/receiver.ts'),
      forbids: (s) => under('commands', 'src/core', 'src/db', 'src/slack/app.ts', 'src/slack/listeners')(s),
    },
    planted: { path: 'src/slack/receiver.ts', text: "import { ephemeralMessage } from './app.ts';" },
    allowed: { path: 'src/slack/receiver.ts', text: "import { HTTPReceiver } from '@slack/bolt';\nimport { arrival } from './arrival.ts';" },
  },
  {
    rule: { name: 'only src/config.ts reads process.env', files: both(not(under('src/config.ts')), not(under('migrations'))), reads: /process\.env/ },
    planted: { path: 'src/slack/app.ts', text: 'const token = process.env.SLACK_BOT_TOKEN;' },
    allowed: { path: 'src/config.ts', text: 'export const env = process.env;' },
  },
];

describe('boundaries (style.md; issue 16 part 3)', () => {
  const tree = sourceFiles(ROOT, CODE);

  for (const { rule, planted, allowed } of RULES) {
    describe(rule.name, () => {
      it('holds in the tree', () => {
        expect(violations(rule, tree)).toEqual([]);
      });

      it('fails on a planted violation', () => {
        expect(violations(rule, [...tree.filter((f) => f.path !== planted.path), planted])).toEqual([expect.stringContaining(planted.path)]);
        if (allowed) expect(violations(rule, [allowed])).toEqual([]);
      });
    });
  }

  it('the import reader sees static, type-only, re-exported, side-effect, dynamic and require imports, and resolves relative ones', () => {
    const file: SourceFile = {
      path: 'src/core/x.ts',
      text: [
        "import { a } from './a.ts';",
        "import type { B } from '../db/b.ts';",
        "export * from '../../commands/c.ts';",
        "import 'side-effect';",
        "const d = await import( '../slack/d.ts' );",
        "const e = require('botbuilder');",
        "import {\n  f,\n} from \"@slack/bolt\";",
      ].join('\n'),
    };
    expect(importsOf(file)).toEqual(['src/core/a.ts', 'src/db/b.ts', 'commands/c.ts', 'side-effect', 'src/slack/d.ts', 'botbuilder', '@slack/bolt']);
  });

  it('reads the whole tree: the composition roots are seen importing the command list, statically and dynamically', () => {
    const rule: BoundaryRule = { name: 'who imports commands/', files: () => true, forbids: under('commands/index.ts') };
    const importers = violations(rule, tree).map((v) => v.split(' ')[0]);
    expect(importers).toEqual(expect.arrayContaining(['src/main.ts', 'src/scheduler-main.ts', 'src/cli/main.ts']));
    expect(importsOf(tree.find((f) => f.path === 'src/cli/main.ts')!)).toContain('src/outbox.ts');
  });
});
