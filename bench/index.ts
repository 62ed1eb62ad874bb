import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IMPORT_KINDS } from '../src/csv/columns.ts';
import { scaled, type Sizes } from './generate.ts';

/**
 * `npm run bench [-- --scale 0.1,1] [--samples 500]`: the data set of issue 4 (10,000
 * accounts, 100,000 contacts, 1,000,000 activities, 300,000 ratings at scale 1),
 * imported with the project's own `importCsv` and with raw prepared statements,
 * `tier` and `brief` on random accounts through the real commands and a raw-SQL
 * baseline, and digests. Each phase runs in a process of its own (`bench/phases.ts`),
 * which reports its peak RSS. Prints Markdown tables.
 */
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const scales = (arg('scale') ?? '0.1,1').split(',').map(Number);
const samples = Number(arg('samples') ?? 500);

type Rates = Record<string, { rows: number; perSecond: number }>;
type Pair = [number, number];
type Imported = { rows: number; perSecond: number; dbBytes: number; peakRss: number };
interface Result {
  sizes: Sizes;
  import: Record<string, Imported>;
  'import-raw': { rates: Rates; peakRss: number };
  latency: { latency: Record<'tier' | 'brief', { ours: Pair; raw: Pair }>; peakRss: number };
  digest: { few: number; fewMax: number; peakRss: number };
  'digest-all': { all: number; accounts: number; peakRss: number };
  generate: { peakRss: number };
}
/** Each phase runs as the bot and `mcr` do (package.json `start`, bin/mcr.js), with their V8 heap limit. */
const HEAP_LIMIT = '--max-old-space-size=1024';
const PHASES = ['generate', 'import', 'import-raw', 'latency', 'digest', 'digest-all'] as const;

async function phase(name: (typeof PHASES)[number], dir: string, scale: number, kind?: string): Promise<unknown> {
  const script = join(import.meta.dirname, 'phases.ts');
  const { stdout } = await promisify(execFile)(process.execPath, [HEAP_LIMIT, '--import', 'tsx', script, name, dir, String(scale), String(samples), ...(kind ? [kind] : [])], { maxBuffer: 2 ** 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

async function runScale(scale: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'mcr-bench-'));
  try {
    const result = { sizes: scaled(scale), import: {} } as Result;
    for (const name of PHASES) {
      if (name === 'import') {
        // A process per file, as `mcr import KIND FILE` runs.
        for (const kind of IMPORT_KINDS) {
          process.stderr.write(`scale ${scale}: import ${kind}…\n`);
          result.import[kind] = (await phase(name, dir, scale, kind)) as Imported;
        }
        continue;
      }
      process.stderr.write(`scale ${scale}: ${name}…\n`);
      (result as unknown as Record<string, unknown>)[name] = await phase(name, dir, scale);
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Array<{ scale: number; result: Result }> = [];
for (const scale of scales) results.push({ scale, result: await runScale(scale) });

const ms = (n: number) => n.toFixed(2);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => fmt(bytes / 2 ** 20);
const last = results.at(-1)!.result;
const out: string[] = [];
out.push(`MCR Bot benchmarks — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
out.push('');
out.push('Import throughput (rows/s): the project’s `importCsv` vs raw prepared statements (same CSV parser). Goal: ≥ ½ of raw and ≥ 50,000.');
out.push('');
out.push(`| table | ${results.map((r) => `rows ×${r.scale} | ours ×${r.scale} | raw ×${r.scale} | ours/raw ×${r.scale}`).join(' | ')} | ½ raw | 50,000 |`);
out.push(`|---|${results.map(() => '---:|---:|---:|---:').join('|')}|---|---|`);
for (const kind of IMPORT_KINDS) {
  const cells = results.map(({ result }) => {
    const ours = result.import[kind]!;
    const raw = result['import-raw'].rates[kind]!;
    return `${fmt(ours.rows)} | ${fmt(ours.perSecond)} | ${fmt(raw.perSecond)} | ${(ours.perSecond / raw.perSecond).toFixed(2)}`;
  });
  const ours = last.import[kind]!.perSecond;
  out.push(`| ${kind} | ${cells.join(' | ')} | ${ours >= last['import-raw'].rates[kind]!.perSecond / 2 ? 'yes' : 'no'} | ${ours >= 50_000 ? 'yes' : 'no'} |`);
}
out.push('');
out.push(`Latency on ${samples} random accounts (ms): through the real command (\`runLine\`) vs a raw-SQL baseline for the same answer. Goal: p50 ≤ 5, p99 ≤ 20, within 2× of raw.`);
out.push('');
out.push(`| command | ${results.map((r) => `p50 ×${r.scale} | p99 ×${r.scale} | raw p50 ×${r.scale} | raw p99 ×${r.scale}`).join(' | ')} | goal met |`);
out.push(`|---|${results.map(() => '---:|---:|---:|---:').join('|')}|---|`);
for (const command of ['tier', 'brief'] as const) {
  const cells = results.map(({ result }) => {
    const l = result.latency.latency[command];
    return `${ms(l.ours[0])} | ${ms(l.ours[1])} | ${ms(l.raw[0])} | ${ms(l.raw[1])}`;
  });
  const l = last.latency.latency[command];
  const met = l.ours[0] <= 5 && l.ours[1] <= 20 && l.ours[0] <= 2 * l.raw[0] && l.ours[1] <= 2 * Math.max(l.raw[1], 1);
  out.push(`| ${command} | ${cells.join(' | ')} | ${met ? 'yes' : 'no'} |`);
}
out.push('');
out.push('Digest build + render (the neutral reply, Slack blocks and Teams cards), ms: 200 random accounts (median of five, and the slowest), and all. Goal: ≤ 200 for 200 accounts, ≤ 10,000 for all.');
out.push('');
out.push(`| digest | ${results.map((r) => `×${r.scale}`).join(' | ')} | goal met |`);
out.push(`|---|${results.map(() => '---:').join('|')}|---|`);
out.push(`| 200 accounts | ${results.map((r) => `${fmt(r.result.digest.few)} (slowest ${fmt(r.result.digest.fewMax)})`).join(' | ')} | ${last.digest.few <= 200 ? 'yes' : 'no'} |`);
out.push(`| all accounts | ${results.map((r) => `${fmt(r.result['digest-all'].all)} (${fmt(r.result['digest-all'].accounts)})`).join(' | ')} | ${last['digest-all'].all <= 10_000 ? 'yes' : 'no'} |`);
out.push('');
out.push('Peak RSS per phase (MB), each phase a process of its own. Goal: ≤ 400.');
out.push('');
out.push(`| phase | ${results.map((r) => `×${r.scale}`).join(' | ')} | goal met |`);
out.push(`|---|${results.map(() => '---:').join('|')}|---|`);
const peaks = (result: Result): Array<[string, number]> =>
  PHASES.flatMap((name) => (name === 'import' ? IMPORT_KINDS.map((kind): [string, number] => [`import ${kind}`, result.import[kind]!.peakRss]) : [[name, result[name].peakRss] as [string, number]]));
for (const [i, [name, peak]] of peaks(last).entries()) {
  out.push(`| ${name} | ${results.map((r) => mb(peaks(r.result)[i]![1])).join(' | ')} | ${peak <= 400 * 2 ** 20 ? 'yes' : 'no'} |`);
}
out.push('');
out.push(`| size | ${results.map((r) => `×${r.scale}`).join(' | ')} |`);
out.push(`|---|${results.map(() => '---:').join('|')}|`);
out.push(`| accounts / contacts / activities / ratings | ${results.map((r) => `${fmt(r.result.sizes.accounts)} / ${fmt(r.result.sizes.contacts)} / ${fmt(r.result.sizes.activities)} / ${fmt(r.result.sizes.ratings)}`).join(' | ')} |`);
out.push(`| database file (MB) | ${results.map((r) => mb(r.result.import.ratings!.dbBytes)).join(' | ')} |`);
process.stdout.write(`${out.join('\n')}\n`);
