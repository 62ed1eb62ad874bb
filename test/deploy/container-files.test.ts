import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DOCKERFILE, envOf, execForm, healthcheckOf, instructionsOf, lastOf, parseDockerfile, type Stage } from '../helpers/dockerfile.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
const START_SCRIPT = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE/i;

/** Everything wrong with a Dockerfile against issue 17's list; empty when it is right. */
function dockerfileProblems(text: string): string[] {
  const problems: string[] = [];
  const stages = parseDockerfile(text);
  const runtime = stages.at(-1)!;
  if (stages.length < 2) problems.push('not multi-stage');
  const bases = new Set(stages.map((s) => s.image));
  if (bases.size !== 1 || !/^node:20[.-]/.test([...bases][0]!)) problems.push(`stages on different or non-Node-20 bases: ${[...bases].join(', ')}`);

  const runs = (stage: Stage) => instructionsOf(stage, 'RUN').map((i) => i.args);
  for (const stage of stages) {
    for (const run of runs(stage)) {
      if (/\bnpm (ci|install|i)\b/.test(run) && !/--omit=dev\b/.test(run)) problems.push(`installs dev dependencies: ${run}`);
    }
  }
  if (runs(runtime).some((r) => /apt-get install|\b(g\+\+|gcc|make|python3)\b|\bnpm (ci|install|i)\b/.test(r))) problems.push('the runtime stage installs packages or a toolchain');
  const modules = instructionsOf(runtime, 'COPY').find((c) => /node_modules/.test(c.args));
  const from = modules && /--from=(\S+)/.exec(modules.args)?.[1];
  const depsStage = stages.find((s) => s.name === from);
  if (!depsStage || !runs(depsStage).some((r) => /\bnpm ci --omit=dev\b/.test(r))) problems.push('node_modules does not come from a stage running npm ci --omit=dev');
  else if (!runs(depsStage).some((r) => /python3/.test(r) && /make/.test(r) && /g\+\+/.test(r))) problems.push('the dependency stage lacks the toolchain better-sqlite3 compiles with');

  const user = lastOf(runtime, 'USER')?.args;
  if (!user || /^(root|0)(:|$)/.test(user)) problems.push(`runs as root (USER ${user ?? 'unset'})`);
  const health = healthcheckOf(runtime);
  if (!health || !health.command.join(' ').includes('/healthz')) problems.push('no HEALTHCHECK on /healthz');
  if (lastOf(runtime, 'STOPSIGNAL')?.args !== 'SIGTERM') problems.push('STOPSIGNAL is not SIGTERM');

  const cmd = lastOf(runtime, 'CMD');
  const command = cmd ? execForm(cmd.args) : [];
  if (command[0] !== 'node') problems.push(`PID 1 is not node (CMD ${command.join(' ')}): npm and the tsx CLI do not pass SIGTERM on`);
  const heap = /--max-old-space-size=\d+/.exec(START_SCRIPT)![0];
  if (!command.includes(heap)) problems.push(`CMD lacks npm start's ${heap}`);
  const starter = /\S+\.(js|ts)\b/.exec(START_SCRIPT)![0];
  if (!command.includes(starter)) problems.push(`CMD does not run ${starter}, as npm start does`);
  if (!runs(runtime).some((r) => r.includes(`${starter} --build`))) problems.push(`the image does not bundle the bot while it is built (${starter} --build)`);

  const env = envOf(runtime);
  const sqliteFile = /^file:(\/.+)$/.exec(env.DATABASE_URL ?? '')?.[1];
  const volumes = instructionsOf(runtime, 'VOLUME').flatMap((v) => (v.args.startsWith('[') ? execForm(v.args) : v.args.split(/\s+/)));
  if (!sqliteFile || !volumes.some((v) => sqliteFile.startsWith(`${v.replace(/\/$/, '')}/`))) problems.push(`the SQLite file (${env.DATABASE_URL}) is not on a VOLUME (${volumes.join(', ')})`);

  for (const stage of stages) {
    for (const [key, value] of Object.entries(envOf(stage))) if (SECRET_NAME.test(key) || /:\/\/[^/\s:]+:[^@\s]+@/.test(value)) problems.push(`secret baked in: ENV ${key}`);
    for (const { args } of instructionsOf(stage, 'ARG')) if (SECRET_NAME.test(args.split('=')[0]!)) problems.push(`secret as a build argument: ARG ${args}`);
  }
  return problems;
}

type Service = Record<string, unknown> & { environment?: Record<string, string> | string[]; depends_on?: Record<string, { condition?: string }> | string[]; healthcheck?: { test?: string | string[] } };
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

const environmentOf = (service: Service): Record<string, string> =>
  Array.isArray(service.environment) ? Object.fromEntries(service.environment.map((e) => e.split(/=(.*)/s).slice(0, 2) as [string, string])) : (service.environment ?? {});

/** A value taken from the environment or .env when compose runs (`${VAR}`, `${VAR:?…}`), not written here. */
const interpolated = (value: string) => /^\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}$/.test(value);

/** Everything wrong with a compose file (and the Caddyfile it mounts) against issue 17's list. */
function composeProblems(text: string, caddyfile: string): string[] {
  const problems: string[] = [];
  const compose = parse(text, { merge: true }) as Compose;
  const services = compose.services ?? {};
  const bots = Object.entries(services).filter(([, s]) => s.build === '.' || (s.build as { context?: string } | undefined)?.context === '.');
  const db = services.db;
  if (!db || !/^postgres:1[5-9]/.test(String(db.image))) problems.push('no db service on a postgres:15+ image');
  else {
    const test = [db.healthcheck?.test ?? []].flat().join(' ');
    if (!test.includes('pg_isready')) problems.push('db has no pg_isready healthcheck');
    const mounts = ((db.volumes as string[] | undefined) ?? []).map((v) => v.split(':')[0]!);
    if (!mounts.some((m) => m in (compose.volumes ?? {}))) problems.push('db data is not on a named volume');
  }
  const replicas = bots.reduce((n, [, s]) => n + Number((s.deploy as { replicas?: number } | undefined)?.replicas ?? 1), 0);
  if (replicas < 2) problems.push(`${replicas} bot instance(s) built from the Dockerfile; two are wanted`);
  for (const [name, bot] of bots) {
    const depends = bot.depends_on;
    if (Array.isArray(depends) || depends?.db?.condition !== 'service_healthy') problems.push(`${name} does not wait for db to be healthy`);
    if (!/^postgres:\/\//.test(environmentOf(bot).DATABASE_URL ?? '')) problems.push(`${name} is not on PostgreSQL`);
    if (!bot.env_file) problems.push(`${name} takes no env file for its tokens`);
    const check = bot.healthcheck as { test?: string[] | string; disable?: boolean } | undefined;
    if (check?.disable || (check?.test && ![check.test].flat().join(' ').includes('/healthz'))) problems.push(`${name} overrides the image's /healthz healthcheck`);
    if (!caddyfile.includes(`${(bot.hostname as string | undefined) ?? name}:${environmentOf(bot).PORT ?? 3000}`)) problems.push(`the proxy does not balance to ${name}`);
  }
  if (bots.length > 0 && !services.proxy) problems.push('no proxy service in front of the bot instances');
  if (!/health_uri\s+\/readyz\b/.test(caddyfile)) problems.push('the proxy does not check /readyz');
  for (const [name, service] of Object.entries(services)) {
    for (const [key, value] of Object.entries(environmentOf(service))) {
      if (SECRET_NAME.test(key) && !interpolated(String(value))) problems.push(`${name}: ${key} written in the compose file`);
      const password = /:\/\/[^/\s:]+:([^@\s]+)@/.exec(String(value))?.[1];
      if (password && !interpolated(password)) problems.push(`${name}: a password written in ${key}`);
    }
  }
  return problems;
}

describe('the Dockerfile (issue 17 part 1)', () => {
  it('is multi-stage on one Node 20 base, production dependencies only, non-root, with a healthcheck, SIGTERM, the heap flag and the SQLite file on a volume; no secrets', () => {
    expect(dockerfileProblems(readFileSync(DOCKERFILE, 'utf8'))).toEqual([]);
  });

  it('finds each problem in a Dockerfile that has it', () => {
    const bad = [
      'FROM node:22 AS build',
      'ARG SLACK_BOT_TOKEN',
      'RUN npm ci',
      'FROM node:20-slim',
      'ENV DATABASE_URL=file:/app/data/mcr.sqlite SLACK_SIGNING_SECRET="abc"',
      'RUN apt-get update && apt-get install -y g++',
      'COPY --from=build /app/node_modules ./node_modules',
      'CMD ["npm", "start"]',
    ].join('\n');
    expect(dockerfileProblems(bad)).toEqual([
      'stages on different or non-Node-20 bases: node:22, node:20-slim',
      'installs dev dependencies: npm ci',
      'the runtime stage installs packages or a toolchain',
      'node_modules does not come from a stage running npm ci --omit=dev',
      'runs as root (USER unset)',
      'no HEALTHCHECK on /healthz',
      'STOPSIGNAL is not SIGTERM',
      'PID 1 is not node (CMD npm start): npm and the tsx CLI do not pass SIGTERM on',
      'CMD lacks npm start\'s --max-old-space-size=1024',
      'CMD does not run bin/start.js, as npm start does',
      'the image does not bundle the bot while it is built (bin/start.js --build)',
      'the SQLite file (file:/app/data/mcr.sqlite) is not on a VOLUME ()',
      'secret as a build argument: ARG SLACK_BOT_TOKEN',
      'secret baked in: ENV SLACK_SIGNING_SECRET',
    ]);
  });

  it('.dockerignore keeps dependencies, local data, settings and history out of the build', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim().replace(/\/$/, ''));
    for (const path of ['node_modules', 'data', '.env', '.git', 'test', 'bench', 'coverage', '*.sqlite']) expect(ignored).toContain(path);
  });
});

describe('compose.yaml (issue 17 part 1)', () => {
  it('runs two bot instances on PostgreSQL behind the proxy: named volume, healthchecks, bots wait for a healthy db, no plaintext secrets', () => {
    expect(composeProblems(read('compose.yaml'), read('deploy/Caddyfile'))).toEqual([]);
  });

  it('finds each problem in a compose file that has it', () => {
    const bad = [
      'services:',
      '  db:',
      '    image: postgres:16',
      '    environment:',
      '      POSTGRES_PASSWORD: hunter2',
      '    volumes: ["./pg:/var/lib/postgresql/data"]',
      '  bot:',
      '    build: .',
      '    environment:',
      '      DATABASE_URL: postgres://mcr:hunter2@db/mcr',
      '      SLACK_BOT_TOKEN: xoxb-123',
      '    depends_on: [db]',
      '    healthcheck: { disable: true }',
    ].join('\n');
    expect(composeProblems(bad, 'reverse_proxy bot-1:3000')).toEqual([
      'db has no pg_isready healthcheck',
      'db data is not on a named volume',
      '1 bot instance(s) built from the Dockerfile; two are wanted',
      'bot does not wait for db to be healthy',
      'bot takes no env file for its tokens',
      "bot overrides the image's /healthz healthcheck",
      'the proxy does not balance to bot',
      'no proxy service in front of the bot instances',
      'the proxy does not check /readyz',
      'db: POSTGRES_PASSWORD written in the compose file',
      'bot: a password written in DATABASE_URL',
      'bot: SLACK_BOT_TOKEN written in the compose file',
    ]);
  });
});
