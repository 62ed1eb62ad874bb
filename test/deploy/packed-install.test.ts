import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envOf, execForm, healthcheckOf, instructionsOf, lastOf, readDockerfile } from '../helpers/dockerfile.ts';
import { postgresDatabase } from '../helpers/engine.ts';
import { FakeSlack, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';

/**
 * Issue 17 part 2: no container runtime on these machines, so this does what the image
 * does. `npm pack` (the Dockerfile's "files" stage), `npm ci --omit=dev` with the lock
 * file (its "deps" stage; better-sqlite3 compiles from source here: minutes), then the
 * Dockerfile's own CMD, WORKDIR-relative, with its own ENV, against a fresh PostgreSQL
 * database and the fake Slack; then SIGTERM as `docker stop` sends it.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// About 2 min on two idle cores; 13 min was measured here with the machine shared seven ways.
const INSTALL_TIMEOUT_MS = 25 * 60_000;
const runtime = readDockerfile().at(-1)!;

/** Runs a command to its end; rejects with its output when it fails. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${out.slice(-4000)}`))));
  });
}

/** This environment without what `npm test` itself sets for its scripts, so the inner npm acts as an operator's would. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|NODE_ENV$|VITEST|MCR_)/i.test(key)));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, log: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms. The bot said:\n${log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the packed production install, started as the image starts it, on PostgreSQL', () => {
  let work: string;
  let app: string;
  let packed: string[];
  let database: { url: string; cleanup: () => Promise<void> };
  let fake: FakeSlack;
  let bot: ChildProcess | undefined;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'mcr-pack-'));
    app = join(work, 'app');
    mkdirSync(app);
    const env = cleanEnv();
    const [pack] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', work], ROOT, env)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    packed = pack!.files.map((f) => f.path);
    await run('tar', ['-xzf', join(work, pack!.filename), '-C', app, '--strip-components=1'], work, env);
    // npm never packs package-lock.json; the Dockerfile copies it next to package.json, and so does this.
    copyFileSync(join(ROOT, 'package-lock.json'), join(app, 'package-lock.json'));
    // No prompt and no terminal: allowScripts in package.json lets better-sqlite3 build.
    await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], app, { ...env, JOBS: 'max' });
    // The image's own bundling step (`RUN node bin/start.js --build`), as its shell would run it.
    const bundling = instructionsOf(runtime, 'RUN').find((r) => r.args.includes('--build'))!.args;
    await run('sh', ['-c', bundling], app, env);
    database = await postgresDatabase();
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
  }, INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    if (bot && bot.exitCode === null && bot.signalCode === null) bot.kill('SIGKILL');
    await fake?.stop();
    await database?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 180_000);

  it('packs what the bot runs at start-up and nothing of the tests, bench or local data', () => {
    for (const file of ['package.json', 'bin/mcr.js', 'src/main.ts', 'src/csv/csv-batches.worker.mjs', 'src/core/powermap-png.worker.mjs', 'commands/index.ts', 'migrations/index.ts', 'manifest/slack/manifest.json', 'tsconfig.json', '.env.example']) {
      expect(packed).toContain(file);
    }
    expect(packed.filter((f) => /^(test|bench|data|coverage|build|node_modules|\.ci|\.git)\/|^\.env$|\.sqlite|\.tgz$/.test(f))).toEqual([]);
  });

  it('installs production dependencies only: nothing the lock file marks dev, none of the devDependencies', () => {
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, p]) => path !== '' && p.dev).map(([path]) => path);
    expect(devOnly.length).toBeGreaterThan(0);
    expect(devOnly.filter((path) => existsSync(join(app, path)))).toEqual([]);
    for (const name of ['typescript', 'vitest', 'fast-check', '@types/pg']) expect(existsSync(join(app, 'node_modules', name))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(true);
  });

  it('answers /healthz and the image HEALTHCHECK, a signed /visit and a brief, finishes work in flight at SIGTERM and exits 0 within 10 s', async () => {
    const [node, ...args] = execForm(lastOf(runtime, 'CMD')!.args);
    expect(node).toBe('node');
    expect(lastOf(runtime, 'WORKDIR')!.args).toBe('/app');
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: work,
      ...envOf(runtime),
      // What compose.yaml and the operator's .env add to the image's environment.
      DATABASE_URL: database.url,
      PORT: String(port),
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `${fake.url}/api/`,
    };
    let output = '';
    bot = spawn(process.execPath, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    bot.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    bot.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) => bot!.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
    const url = `http://127.0.0.1:${port}`;

    // Alive, with the database writable, then ready (the load balancer's probe).
    const health = await until('GET /healthz 200', async () => {
      const response = await fetch(`${url}/healthz`);
      return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
    }, 120_000, () => output);
    expect(health.status).toBe('ok');
    // Started from the bundle the image made, not by bundling again or falling back to tsx.
    expect(readdirSync(join(app, 'node_modules', '.cache', 'mcr-bot'))).toHaveLength(1);
    expect(output).not.toContain('running through tsx');
    // Ready once Slack's answers thread is up and warm (/readyz says "starting" until then).
    const ready = await until('GET /readyz 200', async () => {
      const response = await fetch(`${url}/readyz`);
      return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
    }, 60_000, () => output);
    expect(ready).toMatchObject({ status: 'ready', checks: { database: 'ok', migrations: 'current', channels: 'ok', lifecycle: 'running' } });

    // The image's own HEALTHCHECK command, as Docker runs it inside the container.
    const check = healthcheckOf(runtime)!;
    const runCheck = () => new Promise<number | null>((resolve) => spawn(process.execPath, check.command.slice(1), { env, stdio: 'ignore' }).on('exit', resolve));
    expect(check.command[0]).toBe('node');
    expect(await runCheck()).toBe(0);

    const slash = async (command: string, text: string, replies: number) => {
      const ack = await sendSigned(url, SIGNING_SECRET, slashCommand(fake, command, text));
      expect(ack.status, output).toBe(200);
      return (await fake.waitFor('response_url', replies, 30_000)).at(-1)!.body;
    };
    const textOf = (body: Record<string, unknown>) => JSON.stringify(body.blocks ?? body.text);
    await slash('/mcr', 'account add "Acme Telecom" --tier strategic', 1);
    await slash('/mcr', 'contact add "Tom Baker" --account Acme --role influencer', 2);
    const visit = await slash('/visit', 'Acme --with "Tom Baker" --summary "Migration plan agreed" --next "Send quote; alice@example.com; 2026-12-01"', 3);
    expect(textOf(visit)).toContain('Acme Telecom recorded');
    const brief = await slash('/brief', 'acme', 4);
    expect(brief.response_type).toBe('ephemeral');
    expect(textOf(brief)).toContain('Tom Baker');
    expect(textOf(brief)).toContain('Send quote');

    // At SIGTERM: one command waits on a Slack call that never answers, and one request is
    // half received. The second must be answered and its work saved; neither may keep the
    // process past Docker's 10 s.
    fake.users.set('U9SLOW', { name: 'Slow Sam', email: 'sam@example.com' });
    fake.hangNext('users.info');
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/brief', 'acme', 'U9SLOW'))).status).toBe(200);
    await fake.waitFor('users.info (hung)');
    const body = slashCommand(fake, '/visit', 'Acme --summary "Signed as the bot stopped"');
    const timestamp = Math.floor(Date.now() / 1000);
    const inFlight = request(`${url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`,
      },
    });
    const answered = new Promise<number>((resolve, reject) => inFlight.on('response', (res) => (res.resume(), resolve(res.statusCode!))).on('error', reject));
    const half = Math.floor(body.length / 2);
    inFlight.write(body.slice(0, half));
    await new Promise((r) => setTimeout(r, 500));

    const stoppedAt = Date.now();
    bot.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    inFlight.end(body.slice(half));
    expect(await answered).toBe(200);
    const exit = await exited;
    expect({ code: exit.code, signal: exit.signal }, output).toEqual({ code: 0, signal: null });
    expect(exit.at - stoppedAt, output).toBeLessThan(10_000);
    expect(output).toContain('"stopped"');

    // The answers, not the brief's picture: drawn at the lowest priority, it may come after the last answer.
    const replies = fake.of('response_url').map((c) => textOf(c.body)).filter((text) => !text.startsWith('[{"type":"image"'));
    expect(replies.at(-1)).toContain('Acme Telecom recorded');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ summary: string }>('select summary from activities order by id');
      expect(rows.map((r) => r.summary)).toEqual(['Migration plan agreed', 'Signed as the bot stopped']);
    } finally {
      await client.end();
    }
    // Nothing answers on the port any more: Docker's HEALTHCHECK would say so.
    expect(await runCheck()).toBe(1);
  }, 180_000);
});
