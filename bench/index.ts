import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import pg from 'pg';
import { IMPORT_KINDS } from '../src/csv/columns.ts';
import { scaled, type Sizes } from './generate.ts';
import { loadTable } from './load/report.ts';
import type { LoadFigures } from './load/run.ts';

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
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
/** `--load`: the import, then the bot over HTTP under load (bench/load/), for `--seconds` (default 60 × scale, 3 to 60). */
const load = args.includes('--load');
const scales = (arg('scale') ?? (load ? '1' : '0.1,1')).split(',').map(Number);
const loadSeconds = Number(arg('seconds') ?? Math.min(60, Math.max(3, Math.round(60 * Math.max(...scales)))));
const samples = Number(arg('samples') ?? 500);
const PG_ADMIN_URL = process.env.MCR_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

type Engine = 'sqlite' | 'postgres';
type Rates = Record<string, { rows: number; perSecond: number }>;
type Pair = [number, number];
type Imported = { rows: number; perSecond: number; dbBytes: number; peakRss: number };
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
  'digest-all': { all: number; accounts: number; peakRss: number };
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
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`${signal}: dropping the bench databases…\n`);
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
  const { stdout } = await promisify(execFile)(process.execPath, [HEAP_LIMIT, '--import', 'tsx', script, name, dir, String(scale), String(samples), ...(kind ? [kind] : [])], { maxBuffer: 2 ** 20, env: { ...process.env, MCR_BENCH_LOAD_SECONDS: String(loadSeconds), ...env } });
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
  try {
    process.stderr.write(`scale ${scale}: generate…\n`);
    const generated = (await phase('generate', dir, scale, {})) as { peakRss: number };
    const out: Array<{ engine: Engine; result: Result }> = [];
    // The same files into each engine.
    for (const engine of engines) out.push({ engine, result: { ...(await runEngine(engine, dir, scale)), generate: generated } as Result & { generate: { peakRss: number } } });
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const startedLoad = loadavg();
const results: Array<{ scale: number; runs: Array<{ engine: Engine; result: Result }> }> = [];
try {
  for (const scale of scales) results.push({ scale, runs: await runScale(scale) });
} finally {
  await dropDatabases();
}

/** The goals of issues 4 and 7 (SQLite) and 17 (PostgreSQL), at the largest scale run. */
const GOALS = {
  sqlite: { import: '≥ ½ raw, ≥ 50,000', latency: 'p50 ≤ 5, p99 ≤ 20, ≤ 2× raw', few: 200, all: 10_000 },
  postgres: { import: '≥ 20,000', latency: 'p99 ≤ 20', few: 300, all: 15_000 },
} as const;
const ms = (n: number) => n.toFixed(2);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => fmt(bytes / 2 ** 20);
const yes = (met: boolean) => (met ? 'met' : 'NOT met');
const runOf = (scaleIndex: number, engine: Engine) => results[scaleIndex]!.runs.find((r) => r.engine === engine)!.result;
const lastOf = (engine: Engine) => runOf(results.length - 1, engine);
const cols = (per: string[]) => results.map((r) => per.map((p) => `${p} ×${r.scale}`).join(' | ')).join(' | ');
const aligns = (n: number) => results.map(() => Array<string>(n).fill('---:').join('|')).join('|');
const rowsOf = (engine: Engine, cells: (result: Result) => string) => results.map((_, i) => cells(runOf(i, engine))).join(' | ');

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
    });
    const last = lastOf(engine);
    const ours = last.import[kind]!.perSecond;
    const met = engine === 'sqlite' ? ours >= (last['import-raw']?.rates[kind]?.perSecond ?? Number.NaN) / 2 && ours >= 50_000 : ours >= 20_000;
    out.push(`| ${kind} | ${engine} | ${cells} | ${GOALS[engine].import}: ${yes(met)} |`);
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
      });
      const l = lastOf(engine).latency.latency[command];
      const met = engine === 'sqlite' ? l.ours[0] <= 5 && l.ours[1] <= 20 && l.ours[0] <= 2 * l.raw[0] && l.ours[1] <= 2 * Math.max(l.raw[1], 1) : l.ours[1] <= 20;
      out.push(`| ${command} | ${engine} | ${cells} | ${GOALS[engine].latency}: ${yes(met)} |`);
    }
  }
  out.push('');
}
if (ran('digest') || ran('digest-all')) {
  out.push('Digest build + render (the neutral reply, Slack blocks and Teams cards), ms: 200 random accounts (median of five, and the slowest), and all accounts.');
  out.push('');
  out.push(`| digest | engine | ${results.map((r) => `×${r.scale}`).join(' | ')} | goal ×${results.at(-1)!.scale} |`);
  out.push(`|---|---|${aligns(1)}|---|`);
  for (const engine of ran('digest') ? engines : []) {
    out.push(`| 200 accounts | ${engine} | ${rowsOf(engine, (r) => `${fmt(r.digest.few)} (slowest ${fmt(r.digest.fewMax)})`)} | ≤ ${fmt(GOALS[engine].few)}: ${yes(lastOf(engine).digest.few <= GOALS[engine].few)} |`);
  }
  for (const engine of ran('digest-all') ? engines : []) {
    out.push(`| all accounts | ${engine} | ${rowsOf(engine, (r) => `${fmt(r['digest-all'].all)} (${fmt(r['digest-all'].accounts)})`)} | ≤ ${fmt(GOALS[engine].all)}: ${yes(lastOf(engine)['digest-all'].all <= GOALS[engine].all)} |`);
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
      const x = runOf(i, engine).instances;
      out.push(`| ${engine} | ×${r.scale} | ${x.due} | ${x.sent} | ${x.duplicates} | ${x.missing} | ${x.posts} | ${x.byInstance.join(' / ')} | ${x.seconds.toFixed(1)} | ${fmt(x.load.requests)}, ${ms(x.load.p50)}, ${ms(x.load.p99)} | ${yes(x.duplicates === 0 && x.missing === 0 && x.sent === x.due)} |`);
    }
  }
}
if (ran('load')) {
  out.push('');
  out.push(`The bot over HTTP under load: ${loadSeconds} s of 50 users sending signed Slack requests (60 % \`/brief\`, 20 % visit submissions, 10 % \`/tier\`, 10 % Home) from autocannon, beside a bare Bolt app under the same load, while the digests of 500 channels go out. Ack: the HTTP answer; reply: until the answer reached the stand-in for Slack.`);
  out.push('');
  for (const [i, r] of results.entries()) out.push(`×${r.scale}:`, '', ...loadTable(engines.flatMap((engine) => runOf(i, engine).load.runs)), '');
}
out.push('');
out.push('Peak RSS per phase (MB), each phase a process of its own (`instances`: the process running the load and the fake Slack; the three instances are processes of their own), and the 1-minute load average as it started. Goal: ≤ 400.');
out.push('');
out.push(`| phase | engine | ${results.map((r) => `×${r.scale} | load ×${r.scale}`).join(' | ')} | ≤ 400 |`);
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
      const [, p, load] = peaks(runOf(i, engine))[j]!;
      return `${mb(p)} | ${Number.isNaN(load) ? '' : load.toFixed(1)}`;
    });
    out.push(`| ${name} | ${name === 'generate' ? 'both' : engine} | ${cells.join(' | ')} | ${peak <= 400 * 2 ** 20 ? 'yes' : 'no'} |`);
  }
}
out.push('');
out.push(`| size | ${results.map((r) => `×${r.scale}`).join(' | ')} |`);
out.push(`|---|${results.map(() => '---:').join('|')}|`);
out.push(`| accounts / contacts / activities / ratings | ${results.map((r) => { const s = r.runs[0]!.result.sizes; return `${fmt(s.accounts)} / ${fmt(s.contacts)} / ${fmt(s.activities)} / ${fmt(s.ratings)}`; }).join(' | ')} |`);
for (const engine of engines) out.push(`| database size, ${engine} (MB) | ${rowsOf(engine, (r) => mb(r.import.ratings!.dbBytes))} |`);
process.stdout.write(`${out.join('\n')}\n`);
