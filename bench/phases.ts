import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../src/config.ts';
import { contextFor } from '../src/core/context.ts';
import { accountsInScope, buildDigest, digestReply, periodEnding } from '../src/core/digest.ts';
import { runLine } from '../src/core/dispatch.ts';
import { IMPORT_KINDS, type ImportKind } from '../src/csv/columns.ts';
import { importCsv } from '../src/csv/import-csv.ts';
import { CACHE_KIB, createDb, migrateToLatest, type Db } from '../src/db/create-db.ts';
import { ensureLocalPerson } from '../src/db/person.repository.ts';
import { createLogger } from '../src/log.ts';
import { replyBlocks } from '../src/slack/blocks.ts';
import { replyCards } from '../src/teams/cards.ts';
import { generate, random, scaled } from './generate.ts';
import { rawImport, rawQueries } from './raw.ts';

/**
 * One phase of `npm run bench`, run by `bench/index.ts` in a process of its own so
 * that each phase's peak memory is its own (the generator's names, a million-row
 * import's garbage and the latency run never share a heap), as the bot's process
 * would not hold the generator or the baseline either:
 *
 *   tsx bench/phases.ts PHASE DIR SCALE SAMPLES [KIND]
 *
 * Prints one JSON line: the phase's figures and its peak RSS.
 */
const TODAY = '2026-11-24';
const PHASES = ['generate', 'import', 'import-raw', 'latency', 'digest', 'digest-all'] as const;
type Phase = (typeof PHASES)[number];

/** The raw import keeps its indexes while inserting row by row, which a larger page cache speeds up: it gets one. */
const RAW_CACHE_KIB = 65_536;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const files = (dir: string) => Object.fromEntries(IMPORT_KINDS.map((k) => [k, join(dir, `${k}.csv`)])) as Record<ImportKind, string>;

/** The project's database of the run, and the local operator's context on it (as at TODAY, an admin). */
async function openOurs(dir: string) {
  const config = loadConfig({ DATABASE_URL: `file:${join(dir, 'ours.sqlite')}` });
  const db = createDb(config.databaseUrl);
  await migrateToLatest(db);
  const actor = await ensureLocalPerson(db, 'bench', new Date());
  const ctx = contextFor({ db, config, log: createLogger('error') }, actor, { asOf: TODAY, isAdmin: true });
  return { config, db, actor, ctx };
}

const run: Record<Phase, (dir: string, scale: number, samples: number, kind?: string) => Promise<unknown>> = {
  async generate(dir, scale) {
    await generate(dir, scaled(scale));
    return {};
  },

  /** One file through the project's own `importCsv`, as `mcr import KIND FILE` would in a process of its own: rows/s. */
  async import(dir, _scale, _samples, kind) {
    const { db, actor } = await openOurs(dir);
    const start = performance.now();
    const result = await importCsv(db, kind as ImportKind, files(dir)[kind as ImportKind], { actorId: actor.id, today: TODAY, now: new Date() });
    const perSecond = (result.rows / (performance.now() - start)) * 1000;
    await db.destroy();
    return { rows: result.rows, perSecond, dbBytes: statSync(join(dir, 'ours.sqlite')).size };
  },

  /** The same files with prepared better-sqlite3 statements into a second, freshly migrated database. */
  async 'import-raw'(dir) {
    const db = createDb(`file:${join(dir, 'raw.sqlite')}`);
    await migrateToLatest(db);
    await db.destroy();
    const raw = new SQLite(join(dir, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('synchronous = NORMAL');
    raw.pragma(`cache_size = -${RAW_CACHE_KIB}`);
    const rates: Record<string, { rows: number; perSecond: number }> = {};
    for (const [kind, path] of Object.entries(files(dir)) as Array<[ImportKind, string]>) {
      const start = performance.now();
      const rows = await rawImport(raw, kind, path);
      rates[kind] = { rows, perSecond: (rows / (performance.now() - start)) * 1000 };
    }
    raw.close();
    return { rates };
  },

  /** `tier #id` and `brief #id` through the real command and through the raw-SQL baseline: p50, p99 (ms). */
  async latency(dir, _scale, samples) {
    const { config, db, ctx } = await openOurs(dir);
    const picks = await randomAccounts(db, samples);
    const baseline = new SQLite(join(dir, 'ours.sqlite'), { readonly: true });
    baseline.pragma(`cache_size = -${CACHE_KIB}`);
    const queries = rawQueries(baseline, config.rules);
    // Both paths warmed alike (page cache, prepared statements, JIT) before either is timed.
    for (const id of picks.slice(0, 100)) {
      for (const command of ['tier', 'brief'] as const) {
        await runLine(ctx, `${command} #${id}`);
        queries[command](id, TODAY);
      }
    }
    const timed = async (run: () => unknown) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    const p50p99 = (times: number[]) => {
      times.sort((a, b) => a - b);
      return [percentile(times, 50), percentile(times, 99)] as [number, number];
    };
    const latency: Record<string, { ours: [number, number]; raw: [number, number] }> = {};
    for (const command of ['tier', 'brief'] as const) {
      // Ours and the baseline take turns on each account, so a pause of the shared machine
      // falls on both alike instead of on whichever happened to be running.
      const ours: number[] = [];
      const raw: number[] = [];
      for (const id of picks) {
        ours.push(
          await timed(async () => {
            const reply = await runLine(ctx, `${command} #${id}`);
            if (reply.status !== 'ok') throw new Error(`${command} #${id} failed: ${JSON.stringify(reply.data)}`);
          }),
        );
        raw.push(await timed(() => queries[command](id, TODAY)));
      }
      latency[command] = { ours: p50p99(ours), raw: p50p99(raw) };
    }
    baseline.close();
    await db.destroy();
    return { latency };
  },

  /** Digest build + render (neutral reply, Slack blocks, Teams cards), ms: channels following 200 random accounts, the median of five after one to warm up. */
  async digest(dir) {
    const { db, digestMs } = await digests(dir);
    const picks = [...new Set(await randomAccounts(db, 2000))];
    const times: number[] = [];
    for (let i = 0; i < 6; i++) times.push(await digestMs(picks.slice(i * 200, (i + 1) * 200)));
    const few = times.slice(1).sort((a, b) => a - b);
    await db.destroy();
    return { few: few[2]!, fewMax: few.at(-1)! };
  },

  /** The same for one channel following every account, after a 200-account digest to warm up. */
  async 'digest-all'(dir) {
    const { db, digestMs } = await digests(dir);
    await digestMs([...new Set(await randomAccounts(db, 220))].slice(0, 200));
    const all = (await db.selectFrom('accounts').select('id').execute()).map((r) => r.id);
    const result = { all: await digestMs(all), accounts: all.length };
    await db.destroy();
    return result;
  },
};

async function digests(dir: string) {
  const { db, ctx } = await openOurs(dir);
  const digestMs = async (accountIds: number[]) => {
    const start = performance.now();
    const accounts = await accountsInScope(ctx, { kind: 'accounts', accountIds });
    const reply = digestReply(ctx, await buildDigest(ctx, accounts, periodEnding(TODAY, 'weekly')));
    replyBlocks(reply, { maxBlocks: Number.POSITIVE_INFINITY });
    replyCards(reply);
    return performance.now() - start;
  };
  return { db, digestMs };
}

async function randomAccounts(db: Db, count: number): Promise<number[]> {
  const ids = (await db.selectFrom('accounts').select('id').orderBy('id').execute()).map((r) => r.id);
  const rnd = random(7);
  return Array.from({ length: count }, () => ids[Math.floor(rnd() * ids.length)]!);
}

const [phase, dir, scale, samples, kind] = process.argv.slice(2) as [Phase, string, string, string, string | undefined];
if (!PHASES.includes(phase)) throw new Error(`phase: one of ${PHASES.join(', ')}`);
const figures = await run[phase](dir, Number(scale), Number(samples), kind);
// The kernel's high-water mark: a timer sampling the RSS would not fire while the work holds the thread.
process.stdout.write(`${JSON.stringify({ ...(figures as object), peakRss: process.resourceUsage().maxRSS * 1024 })}\n`);
