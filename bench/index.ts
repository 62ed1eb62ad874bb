import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../src/config.ts';
import { contextFor } from '../src/core/context.ts';
import { accountsInScope, buildDigest, digestReply, periodEnding } from '../src/core/digest.ts';
import { runLine } from '../src/core/dispatch.ts';
import { replyBlocks } from '../src/slack/blocks.ts';
import { replyCards } from '../src/teams/cards.ts';
import { IMPORT_KINDS } from '../src/csv/columns.ts';
import { importCsv } from '../src/csv/import-csv.ts';
import { CACHE_KIB, createDb, migrateToLatest } from '../src/db/create-db.ts';
import { ensureLocalPerson } from '../src/db/person.repository.ts';
import { createLogger } from '../src/log.ts';
import { generate, random, scaled, type Sizes } from './generate.ts';
import { rawImport, rawQueries } from './raw.ts';

/**
 * `npm run bench [-- --scale 0.1,1] [--samples 500]`: the data set of issue 4 (10,000
 * accounts, 100,000 contacts, 1,000,000 activities, 300,000 ratings at scale 1),
 * imported with the project's own `importCsv` and with raw prepared statements,
 * then `tier` and `brief` on random accounts through the real commands and through a
 * raw-SQL baseline; peak RSS over the whole run. Prints Markdown tables.
 */
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const scales = (arg('scale') ?? '0.1,1').split(',').map(Number);
const samples = Number(arg('samples') ?? 500);
const TODAY = '2026-11-24';

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => n.toFixed(2);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Result {
  sizes: Sizes;
  imports: Record<string, { ours: number; raw: number; rows: number }>;
  latency: Record<'tier' | 'brief', { ours: [number, number]; raw: [number, number] }>;
  dbBytes: number;
  /** Digest build + render (neutral reply, Slack blocks, Teams cards), ms: a channel following 200 accounts, and all of them. */
  digest: { few: number; all: number; accounts: number };
}

async function runScale(scale: number): Promise<Result> {
  const sizes = scaled(scale);
  const dir = mkdtempSync(join(tmpdir(), 'mcr-bench-'));
  try {
    process.stderr.write(`scale ${scale}: generating…\n`);
    const { files } = await generate(dir, sizes);
    const config = { ...loadConfig({ DATABASE_URL: `file:${join(dir, 'ours.sqlite')}` }) };
    const db = createDb(config.databaseUrl);
    await migrateToLatest(db);
    const log = createLogger('error');
    const actor = await ensureLocalPerson(db, 'bench', new Date());

    // The raw baseline writes into its own freshly migrated database.
    const rawDb = createDb(`file:${join(dir, 'raw.sqlite')}`);
    await migrateToLatest(rawDb);
    await rawDb.destroy();
    const raw = new SQLite(join(dir, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('synchronous = NORMAL');
    raw.pragma(`cache_size = -${CACHE_KIB}`);

    const imports: Result['imports'] = {};
    for (const kind of IMPORT_KINDS) {
      process.stderr.write(`scale ${scale}: importing ${kind}…\n`);
      let start = performance.now();
      const result = await importCsv(db, kind, files[kind], { actorId: actor.id, today: TODAY, now: new Date() });
      const ours = performance.now() - start;
      start = performance.now();
      const rows = await rawImport(raw, kind, files[kind]);
      const rawMs = performance.now() - start;
      imports[kind] = { ours: (result.rows / ours) * 1000, raw: (rows / rawMs) * 1000, rows: result.rows };
    }
    raw.close();

    process.stderr.write(`scale ${scale}: tier and brief on ${samples} random accounts…\n`);
    const ctx = contextFor({ db, config, log }, actor, { asOf: TODAY, isAdmin: true });
    const ids = (await db.selectFrom('accounts').select('id').orderBy('id').execute()).map((r) => r.id);
    const rnd = random(7);
    const picks = Array.from({ length: samples }, () => ids[Math.floor(rnd() * ids.length)]!);
    const baseline = new SQLite(join(dir, 'ours.sqlite'), { readonly: true });
    const queries = rawQueries(baseline, config.rules);
    const latency = {} as Result['latency'];
    // Warm both paths alike before timing either: the first command after a million-row import
    // otherwise pays for a cold page cache and the import's garbage.
    for (const id of picks.slice(0, 100)) {
      for (const command of ['tier', 'brief'] as const) {
        await runLine(ctx, `${command} #${id}`);
        queries[command](id, TODAY);
      }
    }
    for (const command of ['tier', 'brief'] as const) {
      const time = async (run: (id: number) => unknown) => {
        for (const id of picks.slice(0, 20)) await run(id); // warm-up
        const times: number[] = [];
        for (const id of picks) {
          const start = performance.now();
          await run(id);
          times.push(performance.now() - start);
        }
        times.sort((a, b) => a - b);
        return [percentile(times, 50), percentile(times, 99)] as [number, number];
      };
      const ours = await time(async (id) => {
        const reply = await runLine(ctx, `${command} #${id}`);
        if (reply.status !== 'ok') throw new Error(`${command} #${id} failed: ${JSON.stringify(reply.data)}`);
      });
      const rawTimes = await time((id) => queries[command](id, TODAY));
      latency[command] = { ours, raw: rawTimes };
    }
    baseline.close();

    process.stderr.write(`scale ${scale}: digests for 200 accounts and for all…\n`);
    const digestMs = async (accountIds: number[]) => {
      const start = performance.now();
      const accounts = await accountsInScope(ctx, { kind: 'accounts', accountIds });
      const reply = digestReply(ctx, await buildDigest(ctx, accounts, periodEnding(TODAY, 'weekly')));
      replyBlocks(reply, { maxBlocks: Number.POSITIVE_INFINITY });
      replyCards(reply);
      return performance.now() - start;
    };
    const few = [...new Set(picks)].slice(0, 200);
    await digestMs(few.slice(0, 20)); // warm-up
    const digest = { few: await digestMs(few), all: await digestMs(ids), accounts: ids.length };
    await db.destroy();
    return { sizes, imports, latency, dbBytes: statSync(join(dir, 'ours.sqlite')).size, digest };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Array<{ scale: number; result: Result }> = [];
for (const scale of scales) results.push({ scale, result: await runScale(scale) });
clearInterval(sampler);
const maxRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);

const out: string[] = [];
out.push(`MCR Bot benchmarks — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
out.push('');
out.push('Import throughput (rows/s): the project’s `importCsv` vs raw prepared statements (same CSV parser). Goal: ≥ ½ of raw and ≥ 50,000.');
out.push('');
out.push(`| table | ${results.map((r) => `rows ×${r.scale} | ours ×${r.scale} | raw ×${r.scale} | ours/raw ×${r.scale}`).join(' | ')} | goal met |`);
out.push(`|---|${results.map(() => '---:|---:|---:|---:').join('|')}|---|`);
for (const kind of IMPORT_KINDS) {
  const cells = results.map(({ result }) => {
    const i = result.imports[kind]!;
    return `${fmt(i.rows)} | ${fmt(i.ours)} | ${fmt(i.raw)} | ${(i.ours / i.raw).toFixed(2)}`;
  });
  const last = results.at(-1)!.result.imports[kind]!;
  out.push(`| ${kind} | ${cells.join(' | ')} | ${last.ours >= 50_000 && last.ours >= last.raw / 2 ? 'yes' : 'no'} |`);
}
out.push('');
out.push(`Latency on ${samples} random accounts (ms): through the real command (\`runLine\`) vs a raw-SQL baseline for the same answer. Goal: p50 ≤ 5, p99 ≤ 20, within 2× of raw.`);
out.push('');
out.push(`| command | ${results.map((r) => `p50 ×${r.scale} | p99 ×${r.scale} | raw p50 ×${r.scale} | raw p99 ×${r.scale}`).join(' | ')} | goal met |`);
out.push(`|---|${results.map(() => '---:|---:|---:|---:').join('|')}|---|`);
for (const command of ['tier', 'brief'] as const) {
  const cells = results.map(({ result }) => {
    const l = result.latency[command];
    return `${ms(l.ours[0])} | ${ms(l.ours[1])} | ${ms(l.raw[0])} | ${ms(l.raw[1])}`;
  });
  const l = results.at(-1)!.result.latency[command];
  const met = l.ours[0] <= 5 && l.ours[1] <= 20 && l.ours[0] <= 2 * l.raw[0] && l.ours[1] <= 2 * Math.max(l.raw[1], 1);
  out.push(`| ${command} | ${cells.join(' | ')} | ${met ? 'yes' : 'no'} |`);
}
out.push('');
out.push('Digest build + render (the neutral reply, Slack blocks and Teams cards), ms. Goal: ≤ 200 for 200 accounts, ≤ 10,000 for all.');
out.push('');
out.push(`| digest | ${results.map((r) => `×${r.scale}`).join(' | ')} | goal met |`);
out.push(`|---|${results.map(() => '---:').join('|')}|---|`);
const lastDigest = results.at(-1)!.result.digest;
out.push(`| 200 accounts | ${results.map((r) => fmt(r.result.digest.few)).join(' | ')} | ${lastDigest.few <= 200 ? 'yes' : 'no'} |`);
out.push(`| all accounts | ${results.map((r) => `${fmt(r.result.digest.all)} (${fmt(r.result.digest.accounts)})`).join(' | ')} | ${lastDigest.all <= 10_000 ? 'yes' : 'no'} |`);
out.push('');
out.push(`| size | ${results.map((r) => `×${r.scale}`).join(' | ')} |`);
out.push(`|---|${results.map(() => '---:').join('|')}|`);
out.push(`| accounts / contacts / activities / ratings | ${results.map((r) => `${fmt(r.result.sizes.accounts)} / ${fmt(r.result.sizes.contacts)} / ${fmt(r.result.sizes.activities)} / ${fmt(r.result.sizes.ratings)}`).join(' | ')} |`);
out.push(`| database file (MB) | ${results.map((r) => (r.result.dbBytes / 2 ** 20).toFixed(0)).join(' | ')} |`);
out.push('');
out.push(`Peak RSS over the whole run: ${(maxRss / 2 ** 20).toFixed(0)} MB (goal ≤ 400 MB: ${maxRss <= 400 * 2 ** 20 ? 'met' : 'not met'}).`);
process.stdout.write(`${out.join('\n')}\n`);
