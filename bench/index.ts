import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { IMPORT_KINDS } from '../src/csv/columns.ts';
import { scaled, type Sizes } from './generate.ts';
import { loadTable } from './load/report.ts';
import { DEFAULT_PACE, type LoadFigures } from './load/run.ts';

/**
 * `npm run bench [-- --scale 0.1,1] [--samples 500] [--engine sqlite|postgres|both] [--phases latency,instances]`:
 * the data set of issue 4 (10,000 accounts, 100,000 contacts, 1,000,000 activities,
 * 300,000 ratings at scale 1), imported with the project's own `importCsv` and with
 * raw prepared statements, `tier` and `brief` on random accounts through the real
 * commands and a raw-SQL baseline, digests, and three instances sending digests at
 * once. Each phase runs in a process of its own (`bench/phases.ts`), which reports its
 * peak RSS. Both engines when a PostgreSQL server answers at `MCR_BENCH_PG_URL`
 * (default postgres://postgres@127.0.0.1:5432/postgres), on the same generated files,
 * each in a fresh database dropped afterwards (on a failure and Ctrl-C too). Prints
 * Markdown tables, the engines side by side. `--phases` runs some of the phases (the
 * import always, as the others read what it stored) and prints their tables only.
 */
// `--cold` (issue 19 part 3): the cold start table of bench/cold-start.ts, nothing else (it reads its own options).
if (process.argv.includes('--cold')) {
  await (await import('./cold-start.ts')).coldStart(process.argv.slice(2));
  process.exit(0);
}
/** The options `npm run bench` takes: add one here (a flag is `{ type: 'boolean' }`) and read it with `arg`/`flag`. */
const OPTIONS = {
  scale: { type: 'string' },
  samples: { type: 'string' },
  engine: { type: 'string' },
  phases: { type: 'string' },
  /** Also write every figure measured, as JSON, to this file. */
  save: { type: 'string' },
  /** The import, then the bot over HTTP under load (bench/load/), and nothing else. */
  load: { type: 'boolean' },
  /** How long `--load` drives each run (default 60 × scale, from 3 to 60). */
  seconds: { type: 'string' },
  /** The phases of --phases (every phase without it) run under `node --cpu-prof`, their profiles in DIR/x<scale>-<engine>-<phase>/ (`npx tsx bench/cpu-profile.ts DIR/…`). */
  profile: { type: 'string' },
  /** Requests a second each `--load` user sends (a whole number, default 1); 0: again as soon as answered. */
  pace: { type: 'string' },
} as const;
const { values: options } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: OPTIONS, strict: true });
const arg = (name: keyof typeof OPTIONS): string | undefined => options[name] as string | undefined;
const load = options.load === true;
const scales = (arg('scale') ?? (load ? '1' : '0.1,1')).split(',').map(Number);
const loadSeconds = Number(arg('seconds') ?? Math.min(60, Math.max(3, Math.round(60 * Math.max(...scales)))));
const loadPace = Number(arg('pace') ?? DEFAULT_PACE);
if (!Number.isInteger(loadPace) || loadPace < 0) throw new Error(`--pace: a whole number of requests a second per user (0: as fast as answered), not "${arg('pace')}"`);
const samples = Number(arg('samples') ?? 500);
const PG_ADMIN_URL = process.env.MCR_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

type Engine = 'sqlite' | 'postgres';
type Rates = Record<string, { rows: number; perSecond: number }>;
type Pair = [number, number];
type Imported = { rows: number; perSecond: number; dbBytes: number; peakRss: number; heapMax: number; externalMax: number };
interface Instances {
  due: number; sent: number; complete: number; duplicates: number; missing: number; posts: number; byInstance: number[]; seconds: number;
  load: { requests: number; p50: number; p99: number }; peakRss: number;
}
interface Result {
  sizes: Sizes;
  import: Record<string, Imported>;
  'import-raw'?: { rates: Rates; peakRss: number };
  latency: { latency: Record<'tier' | 'brief', { ours: Pair; raw: Pair }>; peakRss: number };
  digest: { few: number; fewMax: number; peakRss: number };
  'digest-all': { all: number; accounts: number; parts: number; messages: number; slowestPart: number; heapMax: number; peakRss: number };
  instances: Instances;
  load: { runs: LoadFigures[]; peakRss: number };
  /** The 1-minute load average as each phase started (the machine may be shared). */
  loadAverage: Record<string, number>;
}
/** Each phase runs as the bot and `mcr` do (package.json `start`, bin/mcr.js), with their V8 heap limit. */
const HEAP_LIMIT = '--max-old-space-size=1024';
const PHASES = ['import', 'import-raw', 'latency', 'digest', 'digest-all', 'instances', 'load'] as const;
type PhaseName = (typeof PHASES)[number];
const chosen = arg('phases')?.split(',');
const unknownPhase = chosen?.find((p) => !(PHASES as readonly string[]).includes(p));
if (unknownPhase) throw new Error(`--phases: ${unknownPhase}? (${PHASES.join(', ')})`);
/** The phases to run, in their order: the import always (every other phase reads its data). */
const selected = PHASES.filter((p) => (load ? p === 'import' || p === 'load' : p !== 'load' && (!chosen || p === 'import' || chosen.includes(p))));
const ran = (p: PhaseName) => selected.includes(p);

async function admin<T>(work: (client: pg.Client) => Promise<T>, url = PG_ADMIN_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function postgresReachable(): Promise<boolean> {
  try {
    await admin((c) => c.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

const requested = arg('engine') ?? 'both';
/**
 * ×10 (100,000 accounts, 10,000,000 activities) runs on PostgreSQL only when asked for
 * with `--engine postgres`: its goals are SQLite's (issue 19), and PostgreSQL's import of
 * ten million activities alone takes 7–10 minutes on this machine (bench/README.md).
 */
const enginesAt = (scale: number): Engine[] => (scale > 1 && requested === 'both' ? engines.filter((e) => e === 'sqlite') : engines);
if (!['sqlite', 'postgres', 'both'].includes(requested)) throw new Error('--engine: sqlite, postgres or both');
const engines: Engine[] = requested === 'sqlite' ? ['sqlite'] : requested === 'postgres' ? ['postgres'] : (await postgresReachable()) ? ['sqlite', 'postgres'] : ['sqlite'];
if (requested === 'postgres' && !(await postgresReachable())) throw new Error(`--engine postgres: no PostgreSQL server answers at ${PG_ADMIN_URL} (set MCR_BENCH_PG_URL)`);
if (requested === 'both' && engines.length === 1) process.stderr.write(`No PostgreSQL server at ${PG_ADMIN_URL}: SQLite only.\n`);

/** The PostgreSQL databases of this run, dropped however it ends. */
const databases = new Set<string>();
const dropDatabases = async () => {
  for (const name of [...databases]) {
    await admin((c) => c.query(`drop database if exists ${name} with (force)`)).catch((error: Error) => process.stderr.write(`could not drop database ${name}: ${error.message}\n`));
    databases.delete(name);
  }
};
/** The run's temporary folders (data files, SQLite databases) and the phase running: removed and stopped however the run ends. */
const folders = new Set<string>();
let running: ChildProcess | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`${signal}: removing the bench's files and databases…\n`);
    running?.kill('SIGKILL');
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
    void dropDatabases().finally(() => process.exit(130));
  });
}

/** A fresh, empty PostgreSQL database for this run; its URL. */
async function freshDatabase(name: string): Promise<string> {
  databases.add(name);
  await admin((c) => c.query(`drop database if exists ${name} with (force)`).then(() => c.query(`create database ${name}`)));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function phase(name: (typeof PHASES)[number] | 'generate', dir: string, scale: number, env: Record<string, string>, kind?: string): Promise<unknown> {
  const script = join(import.meta.dirname, 'phases.ts');
  // The phases asked for by --phases (all without it): not the import that always runs before them.
  const profiled = arg('profile') && name !== 'generate' && (!chosen || chosen.includes(name));
  const profileDir = profiled ? join(arg('profile')!, `x${scale}-${env.MCR_BENCH_URL ? 'postgres' : 'sqlite'}-${name}${kind ? `-${kind}` : ''}`) : undefined;
  // The load phase's own process is the load generator: the bots it starts are profiled instead.
  const profileArgs = profileDir && name !== 'load' ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const profileLoad = profileDir && name === 'load' ? { MCR_BENCH_PROFILE_DIR: profileDir } : {};
  const started = promisify(execFile)(process.execPath, [HEAP_LIMIT, ...profileArgs, '--import', 'tsx', script, name, dir, String(scale), String(samples), ...(kind ? [kind] : [])], { maxBuffer: 2 ** 20, env: { ...process.env, MCR_BENCH_LOAD_SECONDS: String(loadSeconds), MCR_BENCH_LOAD_PACE: String(loadPace), ...profileLoad, ...env } });
  running = started.child;
  const { stdout } = await started;
  const figures = stdout.trim().split('\n').at(-1)!;
  // Each phase's figures as they come, so that a run stopped part-way still told what it measured.
  process.stderr.write(`  ${figures}\n`);
  return JSON.parse(figures);
}

async function runEngine(engine: Engine, dir: string, scale: number): Promise<Result> {
  const result = { sizes: scaled(scale), import: {}, loadAverage: {} } as Result;
  const env: Record<string, string> = {};
  if (engine === 'postgres') {
    env.MCR_BENCH_URL = await freshDatabase(`mcr_bench_${process.pid}`);
    env.MCR_BENCH_RAW_URL = await freshDatabase(`mcr_bench_${process.pid}_raw`);
  }
  try {
    for (const name of selected) {
      if (name === 'import') {
        // A process per file, as `mcr import KIND FILE` runs.
        for (const kind of IMPORT_KINDS) {
          process.stderr.write(`scale ${scale}, ${engine}: import ${kind} (load ${loadavg()[0]!.toFixed(1)})…\n`);
          result.loadAverage[`import ${kind}`] = loadavg()[0]!;
          result.import[kind] = (await phase(name, dir, scale, env, kind)) as Imported;
        }
        if (engine === 'postgres') {
          // What autovacuum does within a minute or two of a load on a default server (the
          // visibility map, without which no index-only scan skips the table, and hint bits),
          // done now and timed, so that the phases after it do not depend on whether the
          // server's autovacuum is on or got there yet.
          const start = performance.now();
          await admin((c) => c.query('vacuum analyze'), env.MCR_BENCH_URL);
          process.stderr.write(`  vacuum analyze after the import: ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
        }
        continue;
      }
      process.stderr.write(`scale ${scale}, ${engine}: ${name} (load ${loadavg()[0]!.toFixed(1)})…\n`);
      result.loadAverage[name] = loadavg()[0]!;
      (result as unknown as Record<string, unknown>)[name] = await phase(name, dir, scale, env);
    }
    return result;
  } finally {
    await dropDatabases();
  }
}

async function runScale(scale: number): Promise<Array<{ engine: Engine; result: Result }>> {
  const dir = mkdtempSync(join(tmpdir(), 'mcr-bench-'));
  folders.add(dir);
  try {
    process.stderr.write(`scale ${scale}: generate…\n`);
    const generated = (await phase('generate', dir, scale, {})) as { peakRss: number };
    const out: Array<{ engine: Engine; result: Result }> = [];
    // The same files into each engine.
    for (const engine of enginesAt(scale)) out.push({ engine, result: { ...(await runEngine(engine, dir, scale)), generate: generated } as Result & { generate: { peakRss: number } } });
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    folders.delete(dir);
  }
}

const startedLoad = loadavg();
const results: Array<{ scale: number; runs: Array<{ engine: Engine; result: Result }> }> = [];
try {
  for (const scale of scales) results.push({ scale, runs: await runScale(scale) });
} finally {
  await dropDatabases();
}
const save = arg('save');
if (save) writeFileSync(save, JSON.stringify({ startedLoad, endedLoad: loadavg(), results }, null, 1));

/** The goals of issues 4 and 7 (SQLite) and 17 (PostgreSQL), and of issue 19 at ×10 (SQLite's), at the largest scale run. */
const GOALS = {
  sqlite: { import: '≥ ½ raw, ≥ 50,000', latency: 'p50 ≤ 5, p99 ≤ 20, ≤ 2× raw', few: 200, all: 10_000, rss: 400 },
  postgres: { import: '≥ 20,000', latency: 'p99 ≤ 20', few: 300, all: 15_000, rss: 400 },
  x10: { import: '≥ 0.8× the ×1 rate, ≥ ½ raw', latency: 'p99 ≤ 5, ≤ 2× raw', few: 200, all: 60_000, rss: 500 },
} as const;
/** Import rows/s at ×1 on SQLite (bench/README.md, 2026-11-25), for the ×10 goal when this run has no ×1. */
const X1_RATES: Record<string, number> = { accounts: 60_909, contacts: 124_722, activities: 91_170, ratings: 134_713 };
const ms = (n: number) => n.toFixed(2);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => fmt(bytes / 2 ** 20);
const yes = (met: boolean) => (met ? 'met' : 'NOT met');
/** An engine's run at a scale (none when the engine did not run at it: PostgreSQL at ×10 unless asked for). */
const runOf = (scaleIndex: number, engine: Engine) => results[scaleIndex]!.runs.find((r) => r.engine === engine)?.result;
const lastIndexOf = (engine: Engine) => results.findLastIndex((r) => r.runs.some((x) => x.engine === engine));
const lastOf = (engine: Engine) => runOf(lastIndexOf(engine), engine)!;
/** The goals an engine's largest scale is judged by. */
const goalsOf = (engine: Engine) => (engine === 'sqlite' && results[lastIndexOf(engine)]!.scale >= 10 ? GOALS.x10 : GOALS[engine]);
const x1Rate = (kind: string) => {
  const i = results.findIndex((r) => r.scale === 1);
  return (i >= 0 ? runOf(i, 'sqlite')?.import[kind]?.perSecond : undefined) ?? X1_RATES[kind]!;
};
const cols = (per: string[]) => results.map((r) => per.map((p) => `${p} ×${r.scale}`).join(' | ')).join(' | ');
const aligns = (n: number) => results.map(() => Array<string>(n).fill('---:').join('|')).join('|');
const rowsOf = (engine: Engine, cells: (result: Result) => string, n = 1) =>
  results.map((_, i) => { const r = runOf(i, engine); return r ? cells(r) : Array<string>(n).fill('—').join(' | '); }).join(' | ');

const out: string[] = [];
out.push(`MCR Bot benchmarks — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; engines: ${engines.join(', ')}`);
out.push(`Load average at the start: ${startedLoad.map((n) => n.toFixed(2)).join(', ')}; at the end: ${loadavg().map((n) => n.toFixed(2)).join(', ')}`);
out.push('');
out.push('Import throughput (rows/s): the project’s `importCsv` vs the same rows through the driver directly (SQLite: prepared statements a row at a time; PostgreSQL: named prepared INSERTs of 1,000 rows), same CSV parser.');
out.push('');
out.push(`| table | engine | ${cols(['rows', 'ours', 'raw', 'ours/raw'])} | goal ×${results.at(-1)!.scale} |`);
out.push(`|---|---|${aligns(4)}|---|`);
for (const kind of IMPORT_KINDS) {
  for (const engine of engines) {
    const cells = rowsOf(engine, (result) => {
      const ours = result.import[kind]!;
      const raw = result['import-raw']?.rates[kind];
      return `${fmt(ours.rows)} | ${fmt(ours.perSecond)} | ${raw ? fmt(raw.perSecond) : '—'} | ${raw ? (ours.perSecond / raw.perSecond).toFixed(2) : '—'}`;
    }, 4);
    const last = lastOf(engine);
    const ours = last.import[kind]!.perSecond;
    const halfRaw = ours >= (last['import-raw']?.rates[kind]?.perSecond ?? Number.NaN) / 2;
    const met = goalsOf(engine) === GOALS.x10 ? halfRaw && ours >= 0.8 * x1Rate(kind) : engine === 'sqlite' ? halfRaw && ours >= 50_000 : ours >= 20_000;
    out.push(`| ${kind} | ${engine} | ${cells} | ${goalsOf(engine).import}: ${yes(met)} |`);
  }
}
out.push('');
if (ran('latency')) {
  out.push(`Latency on ${samples} random accounts (ms): through the real command (\`runLine\`) vs a raw-SQL baseline for the same answer (prepared statements on the driver, the same pure rules).`);
  out.push('');
  out.push(`| command | engine | ${cols(['p50', 'p99', 'raw p50', 'raw p99'])} | goal ×${results.at(-1)!.scale} |`);
  out.push(`|---|---|${aligns(4)}|---|`);
  for (const command of ['tier', 'brief'] as const) {
    for (const engine of engines) {
      const cells = rowsOf(engine, (result) => {
        const l = result.latency.latency[command];
        return `${ms(l.ours[0])} | ${ms(l.ours[1])} | ${ms(l.raw[0])} | ${ms(l.raw[1])}`;
      }, 4);
      const l = lastOf(engine).latency.latency[command];
      const met = goalsOf(engine) === GOALS.x10 ? l.ours[1] <= 5 && l.ours[1] <= 2 * Math.max(l.raw[1], 1) : engine === 'sqlite' ? l.ours[0] <= 5 && l.ours[1] <= 20 && l.ours[0] <= 2 * l.raw[0] && l.ours[1] <= 2 * Math.max(l.raw[1], 1) : l.ours[1] <= 20;
      out.push(`| ${command} | ${engine} | ${cells} | ${goalsOf(engine).latency}: ${yes(met)} |`);
    }
  }
  out.push('');
}
if (ran('digest') || ran('digest-all')) {
  out.push('Digest build + render (the neutral reply, Slack blocks and Teams cards), ms: 200 random accounts (median of five, and the slowest); all accounts streamed a part (1,000 accounts) at a time as the scheduler sends it, posted through the Slack poster to a local stand-in (its parts and messages, the slowest part, and the most heap in use after a part).');
  out.push('');
  out.push(`| digest | engine | ${results.map((r) => `×${r.scale}`).join(' | ')} | goal ×${results.at(-1)!.scale} |`);
  out.push(`|---|---|${aligns(1)}|---|`);
  for (const engine of ran('digest') ? engines : []) {
    out.push(`| 200 accounts | ${engine} | ${rowsOf(engine, (r) => `${fmt(r.digest.few)} (slowest ${fmt(r.digest.fewMax)})`)} | ≤ ${fmt(goalsOf(engine).few)}: ${yes(lastOf(engine).digest.few <= goalsOf(engine).few)} |`);
  }
  for (const engine of ran('digest-all') ? engines : []) {
    out.push(`| all accounts | ${engine} | ${rowsOf(engine, (r) => `${fmt(r['digest-all'].all)} (${fmt(r['digest-all'].accounts)})`)} | ≤ ${fmt(goalsOf(engine).all)}: ${yes(lastOf(engine)['digest-all'].all <= goalsOf(engine).all)} |`);
    out.push(`| all: parts / messages | ${engine} | ${rowsOf(engine, (r) => `${fmt(r['digest-all'].parts)} / ${fmt(r['digest-all'].messages)}`)} | |`);
    out.push(`| all: slowest part | ${engine} | ${rowsOf(engine, (r) => fmt(r['digest-all'].slowestPart))} | |`);
    out.push(`| all: most heap used after a part (MB) | ${engine} | ${rowsOf(engine, (r) => mb(r['digest-all'].heapMax))} | |`);
  }
  out.push('');
}
if (ran('instances')) {
  out.push('Three instances on one database: daily digests of 200 accounts each due, three `mcr digest run` processes started at once against a local fake Slack Web API, while `tier`/`brief` run one after another on random accounts. Every digest exactly once: no duplicate, none missing.');
  out.push('');
  out.push(`| engine | scale | digests due | sent | duplicates | missing | posts | sent by each instance | seconds | load: requests, p50, p99 (ms) | goal |`);
  out.push('|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|');
  for (const engine of engines) {
    for (const [i, r] of results.entries()) {
      const x = runOf(i, engine)?.instances;
      if (!x) continue;
      out.push(`| ${engine} | ×${r.scale} | ${x.due} | ${x.sent} | ${x.duplicates} | ${x.missing} | ${x.posts} | ${x.byInstance.join(' / ')} | ${x.seconds.toFixed(1)} | ${fmt(x.load.requests)}, ${ms(x.load.p50)}, ${ms(x.load.p99)} | ${yes(x.duplicates === 0 && x.missing === 0 && x.sent === x.due)} |`);
    }
  }
}
if (ran('load')) {
  out.push('');
  out.push(`The bot over HTTP under load: ${loadSeconds} s of 50 users sending signed Slack requests, ${loadPace === 0 ? 'each again as soon as answered (saturation)' : `each ${loadPace} a second, spread evenly`} (60 % \`/brief\`, 20 % visit submissions, 10 % \`/tier\`, 10 % Home) from autocannon, beside a bare Bolt app under the same load, while the digests of 500 channels go out. Ack: the HTTP answer; reply: until the answer reached the stand-in for Slack.`);
  out.push('');
  for (const [i, r] of results.entries()) out.push(`×${r.scale}:`, '', ...loadTable(engines.flatMap((engine) => runOf(i, engine)?.load.runs ?? [])), '');
}
out.push('');
out.push(`Peak RSS per phase (MB), each phase a process of its own (\`instances\`: the process running the load and the fake Slack; the three instances are processes of their own), and the 1-minute load average as it started. Goal: ≤ ${goalsOf(engines[0]!).rss}.`);
out.push('');
out.push(`| phase | engine | ${results.map((r) => `×${r.scale} | load ×${r.scale}`).join(' | ')} | ≤ ${goalsOf(engines[0]!).rss} |`);
out.push(`|---|---|${aligns(2)}|---|`);
type Peak = [string, number, number];
const peaks = (result: Result & { generate?: { peakRss: number } }): Peak[] => [
  ['generate', result.generate?.peakRss ?? 0, Number.NaN],
  ...selected.flatMap((name) => (name === 'import'
    ? IMPORT_KINDS.map((kind): Peak => [`import ${kind}`, result.import[kind]!.peakRss, result.loadAverage[`import ${kind}`]!])
    : [[name, (result[name] as { peakRss: number }).peakRss, result.loadAverage[name]!] as Peak])),
];
for (const engine of engines) {
  for (const [j, [name, peak]] of peaks(lastOf(engine)).entries()) {
    if (name === 'generate' && engine !== engines[0]) continue;
    const cells = results.map((_, i) => {
      const run = runOf(i, engine);
      if (!run) return '— | —';
      const [, p, load] = peaks(run)[j]!;
      return `${mb(p)} | ${Number.isNaN(load) ? '' : load.toFixed(1)}`;
    });
    out.push(`| ${name} | ${name === 'generate' ? 'both' : engine} | ${cells.join(' | ')} | ${peak <= goalsOf(engine).rss * 2 ** 20 ? 'yes' : 'no'} |`);
  }
}
out.push('');
out.push(`| size | ${results.map((r) => `×${r.scale}`).join(' | ')} |`);
out.push(`|---|${results.map(() => '---:').join('|')}|`);
out.push(`| accounts / contacts / activities / ratings | ${results.map((r) => { const s = r.runs[0]!.result.sizes; return `${fmt(s.accounts)} / ${fmt(s.contacts)} / ${fmt(s.activities)} / ${fmt(s.ratings)}`; }).join(' | ')} |`);
for (const engine of engines) out.push(`| database size, ${engine} (MB) | ${rowsOf(engine, (r) => mb(r.import.ratings!.dbBytes))} |`);
if (results.length > 1) growth();
process.stdout.write(`${out.join('\n')}\n`);

/**
 * How each figure grows from one scale to the next (issue 19): each step's factor, beside
 * what linear work would give (rates, latencies and memory flat: ×1.00; a digest of every
 * account and the database as the data: the scale's factor).
 */
function growth() {
  out.push('');
  out.push('Growth from scale to scale: each figure, and each step\'s factor (later / earlier). Linear work keeps rates, latencies and memory flat (1.00) and grows the digest of every account and the database with the data.');
  for (const engine of engines) {
    const at = results.map((_, i) => runOf(i, engine));
    if (at.filter(Boolean).length < 2) continue;
    out.push('');
    out.push(`| ${engine} | ${results.map((r) => `×${r.scale}`).join(' | ')} | ${results.slice(1).map((r, i) => `×${results[i]!.scale}→×${r.scale}`).join(' | ')} | linear |`);
    out.push(`|---|${aligns(1)}|${results.slice(1).map(() => '---:').join('|')}|---:|`);
    const row = (figure: string, value: (r: Result) => number | undefined, show: (n: number) => string, withData: boolean) => {
      const values = at.map((r) => (r ? value(r) : undefined));
      const steps = values.slice(1).map((v, i) => (v !== undefined && values[i] !== undefined && values[i] !== 0 ? (v / values[i]!).toFixed(2) : '—'));
      out.push(`| ${figure} | ${values.map((v) => (v === undefined ? '—' : show(v))).join(' | ')} | ${steps.join(' | ')} | ${withData ? 'the scale\'s factor' : '1.00'} |`);
    };
    for (const kind of IMPORT_KINDS) {
      row(`import ${kind}, rows/s`, (r) => r.import[kind]?.perSecond, fmt, false);
      row(`import-raw ${kind}, rows/s`, (r) => r['import-raw']?.rates[kind]?.perSecond, fmt, false);
    }
    for (const command of ['tier', 'brief'] as const) {
      row(`${command} p50, ms`, (r) => r.latency?.latency[command].ours[0], ms, false);
      row(`${command} p99, ms`, (r) => r.latency?.latency[command].ours[1], ms, false);
      row(`${command} raw p99, ms`, (r) => r.latency?.latency[command].raw[1], ms, false);
    }
    row('digest, 200 accounts, ms', (r) => r.digest?.few, fmt, false);
    row('digest, all accounts, ms', (r) => r['digest-all']?.all, fmt, true);
    row('digest, all: slowest part, ms', (r) => r['digest-all']?.slowestPart, fmt, false);
    row('digest, all: most heap after a part, MB', (r) => r['digest-all']?.heapMax, mb, false);
    for (const [name] of peaks(at.findLast(Boolean)!)) {
      if (name === 'generate') continue;
      row(`peak RSS ${name}, MB`, (r) => peaks(r).find(([n]) => n === name)?.[1], mb, false);
    }
    row('database, MB', (r) => r.import.ratings?.dbBytes, mb, true);
  }
}
