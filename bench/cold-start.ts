/**
 * Cold start (issue 19 part 3; goals: ready ≤ 2 s after start, the first ack ≤ 100 ms).
 *
 * `npm run bench -- --cold [--starts 5] [--scale 0.1] [--profile DIR]`: generates and imports the
 * data set at `--scale` (×0.1 by default: a cold start reads little of the data, and ×1's import
 * would cost minutes for nothing), then starts the bot N times as `npm start` runs it (bin/start.js, a 1 GB
 * heap) with Slack settings pointing at a local stand-in for Slack's Web API, and measures from the
 * spawn to `GET /readyz` 200, then the first signed `/brief #id`: the ack (the HTTP answer) and the
 * reply (its post to the response_url). The same with every core kept busy by CPU burners this
 * script starts and stops. `--profile DIR` starts once more under `--cpu-prof` (DIR keeps the
 * profiles; summarise them with bench/cpu-profile.ts). `--root DIR` starts the bot of another
 * checkout (a worktree of an older commit, for a before/after).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { IMPORT_KINDS } from '../src/csv/columns.ts';
import { summariseFile } from './cpu-profile.ts';
import { mondayRequest } from './load/monday-mix.ts';
import { freePort, slackStandIn, type SlackStandIn } from './slack-stand-in.ts';

let ROOT = join(import.meta.dirname, '..');
const HEAP_LIMIT = '--max-old-space-size=1024';
const SECRET = 'bench-cold';
const GOALS = { readyMs: 2_000, ackMs: 100 };

export interface ColdStart {
  readyMs: number;
  ackMs: number;
  replyMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Node's arguments for the bot as ROOT's `npm start` runs it: today `node --max-old-space-size=1024
 * bin/start.js` (the bundle); a checkout from before bin/start.js, `tsx … src/main.ts` (in-process).
 */
function startArgs(): string[] {
  const [runner, ...rest] = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
  return runner === 'tsx' ? [...rest.filter((a) => a.startsWith('--')), '--import', 'tsx', ...rest.filter((a) => !a.startsWith('--'))] : rest;
}

/** One start: spawn as `npm start` does, poll /readyz, send the first `/brief`, wait for its reply, stop. */
async function oneStart(databaseUrl: string, accountId: number, slack: SlackStandIn, profileDir?: string): Promise<ColdStart> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: databaseUrl, PORT: String(port),
    SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: `${slack.url}/api/`, MCR_TIMEZONE: 'UTC', LOG_LEVEL: 'error',
  };
  const argv = [...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), ...startArgs()];
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    let readyMs = 0;
    for (;;) {
      const ok = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
      if (ok) {
        readyMs = performance.now() - started;
        break;
      }
      if (child.exitCode !== null) throw new Error(`the bot exited: ${stderr}`);
      if (performance.now() - started > 300_000) throw new Error(`not ready after 300 s: ${stderr}`);
      await sleep(5);
    }
    const key = Math.random().toString(36).slice(2);
    const { request } = mondayRequest('brief', key, 'U1ALICE', { accountId, contactId: 0 }, slack.url, SECRET);
    const sent = performance.now();
    const response = await fetch(`${url}${request.path}`, request);
    await response.text();
    const ackMs = performance.now() - sent;
    if (response.status !== 200) throw new Error(`/brief answered ${response.status}`);
    while (!slack.responses.has(key)) {
      if (performance.now() - sent > 30_000) throw new Error(`no reply to /brief in 30 s: ${stderr}`);
      await sleep(2);
    }
    return { readyMs, ackMs, replyMs: slack.responses.get(key)! - sent };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Busy loops on every core, as other work on a shared machine; stopped by their ids. */
function burners(): ChildProcess[] {
  return cpus().map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const worst = (xs: number[]) => Math.max(...xs);

async function prepareData(dir: string, scale: number): Promise<string> {
  const script = join(import.meta.dirname, 'phases.ts');
  const { MCR_BENCH_URL: _elsewhere, ...env } = process.env;
  const phase = (name: string, kind?: string) => promisify(execFile)(process.execPath, [HEAP_LIMIT, '--import', 'tsx', script, name, dir, String(scale), '0', ...(kind ? [kind] : [])], { maxBuffer: 2 ** 20, env });
  process.stderr.write(`cold: generating and importing ×${scale}…\n`);
  await phase('generate');
  for (const kind of IMPORT_KINDS) await phase('import', kind);
  return `file:${join(dir, 'ours.sqlite')}`;
}

/** `--cold`: the table of N starts, idle and busy; `--profile DIR` adds the profile of one busy start. */
export async function coldStart(args: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const starts = Number(arg('starts') ?? 5);
  const scale = Number(arg('scale') ?? 0.1);
  const profileDir = arg('profile');
  // `--root DIR`: start the bot of another checkout (e.g. the commit before a change) on the same data.
  ROOT = arg('root') ?? ROOT;
  const dir = mkdtempSync(join(tmpdir(), 'mcr-cold-'));
  const slack = await slackStandIn();
  let burning: ChildProcess[] = [];
  try {
    const databaseUrl = await prepareData(dir, scale);
    // The first start after a change makes the bundle (bin/start.js); the starts measured below find it made.
    let bundling = '';
    if (existsSync(join(ROOT, 'bin', 'start.js'))) {
      const at = performance.now();
      await promisify(execFile)(process.execPath, [join(ROOT, 'bin', 'start.js'), '--build'], { cwd: ROOT });
      bundling = `Made the bundle first (\`bin/start.js --build\`, as the first start after a change does): ${Math.round(performance.now() - at)} ms, which includes starting Node and hashing the sources.\n\n`;
    }
    const rows: string[] = [];
    for (const busy of [false, true]) {
      if (busy) burning = burners();
      await sleep(busy ? 2_000 : 0);
      const load = loadavg()[0]!;
      const runs: ColdStart[] = [];
      for (let i = 0; i < starts; i++) {
        runs.push(await oneStart(databaseUrl, 1 + i * 7, slack));
        process.stderr.write(`  ${busy ? 'busy' : 'idle'} start ${i + 1}: ${JSON.stringify(runs.at(-1))}\n`);
      }
      const col = (k: keyof ColdStart) => runs.map((r) => r[k]);
      const cell = (k: keyof ColdStart) => `${Math.round(median(col(k)))} / ${Math.round(worst(col(k)))}`;
      rows.push(`| ${busy ? `busy (${burning.length} burners)` : 'idle'} | ${load.toFixed(1)} | ${cell('readyMs')} | ${cell('ackMs')} | ${cell('replyMs')} | ${worst(col('readyMs')) <= GOALS.readyMs && worst(col('ackMs')) <= GOALS.ackMs ? 'met' : 'NOT met'} |`);
      if (busy && profileDir) {
        mkdirSync(profileDir, { recursive: true });
        await oneStart(databaseUrl, 3, slack, profileDir);
      }
    }
    process.stdout.write(`\n## Cold start: ×${scale} on SQLite, ${starts} starts each (median / worst, ms)\n\n`);
    process.stdout.write(bundling);
    process.stdout.write(`| machine | load (1 min) | start → ready | first /brief ack | first /brief reply | goal (ready ≤ ${GOALS.readyMs}, ack ≤ ${GOALS.ackMs}) |\n|---|---:|---:|---:|---:|---|\n${rows.join('\n')}\n`);
    if (profileDir) process.stdout.write(`\n### Profile of one busy start (${profileDir})\n\n${summariseFile(profileDir, { top: 12, by: 'package', root: ROOT })}\n`);
  } finally {
    for (const burner of burning) burner.kill('SIGKILL');
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await coldStart(process.argv.slice(2));
