/**
 * Where the time goes (issue 19 part 4): summarise a V8 `.cpuprofile` as a Markdown table.
 *
 * Make one with `node --cpu-prof --cpu-prof-dir DIR --import tsx src/main.ts` (Node 20 refuses
 * `--cpu-prof` in NODE_OPTIONS). Node 20 runs tsx's module hooks (the transpiling) on a thread of
 * their own, which writes a profile of its own: given a folder, this prints one table per profile,
 * the largest first. Then:
 *
 *   npx tsx bench/cpu-profile.ts FILE|DIR [--top 15] [--by function|file|package] [--stalls MS] [--root DIR]
 *
 * Rows are functions (name + file:line) by default, or whole files, or packages; sorted by self
 * time (the time a function was on top of the stack), with total time (the time it was anywhere
 * on the stack, counted once per sample so recursion does not count twice). Paths are shown
 * relative to the repository (`--root`, default the working directory); code in node_modules is
 * shown by its package name (`@slack/bolt › dist/App.js:120`). V8's own entries — `(garbage
 * collector)`, `(program)` (native work and compilation), `(idle)` — are rows like any other.
 * `--stalls MS` lists instead the stretches of at least MS ms in which the thread never went idle
 * (what a request arriving then waited behind), longest first, with what ran in each.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The parts of the Chrome DevTools protocol `Profiler.Profile` this reads. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
    hitCount?: number;
    children?: number[];
  }>;
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export type Grouping = 'function' | 'file' | 'package';

export interface ProfileRow {
  /** `name  location` for functions, the location for files, the package (or top folder) for packages. */
  name: string;
  location: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  /** Time covered by the samples, in ms. */
  durationMs: number;
  rows: ProfileRow[];
}

/** Where a script lives, said shortly: `src/db/x.ts`, `@slack/bolt › dist/App.js`, `node:internal/…`. */
export function shortPath(url: string, root: string): { file: string; pkg: string } {
  if (!url) return { file: '', pkg: '(V8)' };
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = fileURLToPath(url);
    } catch {
      path = url.slice('file://'.length);
    }
  }
  if (path.startsWith('node:')) return { file: path, pkg: 'node' };
  const normalised = path.split(sep).join('/');
  const marker = '/node_modules/';
  const at = normalised.lastIndexOf(marker);
  if (at >= 0) {
    const parts = normalised.slice(at + marker.length).split('/');
    const count = parts[0]?.startsWith('@') ? 2 : 1;
    const pkg = parts.slice(0, count).join('/');
    return { file: `${pkg} › ${parts.slice(count).join('/')}`, pkg };
  }
  if (path.startsWith('/')) {
    const rel = relative(root, path).split(sep).join('/');
    if (!rel.startsWith('..')) return { file: rel, pkg: rel.includes('/') ? `${rel.split('/')[0]}/` : rel };
  }
  return { file: normalised, pkg: normalised };
}

/** The time of each sample in ms: V8 gives the delta BEFORE a sample, so sample i lasts until sample i+1. */
function sampleTimes(profile: CpuProfile): { ids: number[]; ms: number[] } {
  const ids = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (ids.length > 0 && deltas.length === ids.length) {
    const ms = ids.map((_, i) => (i + 1 < deltas.length ? Math.max(0, deltas[i + 1]!) : 0) / 1000);
    // The last sample has no successor: give it the mean, so one sample is not lost.
    const mean = ms.length > 1 ? ms.slice(0, -1).reduce((a, b) => a + b, 0) / (ms.length - 1) : 0;
    ms[ms.length - 1] = mean;
    return { ids, ms };
  }
  // No sample list (older or hand-made profiles): spread the duration over the hit counts.
  const hits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const per = hits > 0 ? (profile.endTime - profile.startTime) / 1000 / hits : 0;
  const out = { ids: [] as number[], ms: [] as number[] };
  for (const node of profile.nodes) {
    if (node.hitCount) {
      out.ids.push(node.id);
      out.ms.push(node.hitCount * per);
    }
  }
  return out;
}

/**
 * Aggregate a profile into rows by function (name + file:line), file or package, sorted by self
 * time; of the samples given (`samples`, a stretch of {@link sampleTimes}), else of them all.
 */
export function summarise(profile: CpuProfile, options: { root?: string; by?: Grouping; samples?: { ids: number[]; ms: number[] } } = {}): ProfileSummary {
  const root = options.root ?? process.cwd();
  const by = options.by ?? 'function';
  const parent = new Map<number, number>();
  const byId = new Map<number, CpuProfile['nodes'][number]>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const keyOf = new Map<number, { key: string; name: string; location: string } | null>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(root)' && !url) {
      keyOf.set(node.id, null);
      continue;
    }
    const { file, pkg } = shortPath(url, root);
    const name = functionName || '(anonymous)';
    const location = file ? `${file}:${lineNumber + 1}` : '';
    if (by === 'function') keyOf.set(node.id, { key: `${name}\0${location}`, name, location });
    else if (by === 'file') keyOf.set(node.id, { key: file || name, name: file || name, location: file });
    else {
      // Native frames without a script (`parse`, wasm wrappers) go together; V8's own entries stay apart.
      const group = url ? pkg : name.startsWith('(') ? name : '(native)';
      keyOf.set(node.id, { key: group, name: group, location: '' });
    }
  }
  // Self time per node, then each node's time is added once to every distinct key on its stack.
  const selfByNode = new Map<number, number>();
  const { ids, ms } = options.samples ?? sampleTimes(profile);
  let durationMs = 0;
  ids.forEach((id, i) => {
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + ms[i]!);
    durationMs += ms[i]!;
  });
  const rows = new Map<string, ProfileRow>();
  const row = (k: { key: string; name: string; location: string }) => {
    let r = rows.get(k.key);
    if (!r) rows.set(k.key, (r = { name: k.name, location: k.location, selfMs: 0, totalMs: 0 }));
    return r;
  };
  for (const [id, time] of selfByNode) {
    const own = keyOf.get(id);
    if (own) row(own).selfMs += time;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = keyOf.get(at);
      if (k && !seen.has(k.key)) {
        seen.add(k.key);
        row(k).totalMs += time;
      }
      if (!byId.has(at)) break;
    }
  }
  const sorted = [...rows.values()].sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs || a.name.localeCompare(b.name));
  return { durationMs, rows: sorted };
}

const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '–');
const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The top `top` rows as a Markdown table (self ms, self %, total ms, total %). */
export function profileTable(summary: ProfileSummary, options: { top?: number; by?: Grouping } = {}): string {
  const top = options.top ?? 15;
  const by = options.by ?? 'function';
  const head = by === 'function' ? '| function | where | self ms | self | total ms | total |' : `| ${by} | self ms | self | total ms | total |`;
  const rule = by === 'function' ? '|---|---|---:|---:|---:|---:|' : '|---|---:|---:|---:|---:|';
  const lines = summary.rows.slice(0, top).map((r) => {
    const figures = `${r.selfMs.toFixed(1)} | ${pct(r.selfMs, summary.durationMs)} | ${r.totalMs.toFixed(1)} | ${pct(r.totalMs, summary.durationMs)} |`;
    return by === 'function' ? `| ${cell(r.name)} | ${cell(r.location)} | ${figures}` : `| ${cell(r.name)} | ${figures}`;
  });
  return [`Profile: ${summary.durationMs.toFixed(0)} ms sampled; top ${Math.min(top, summary.rows.length)} by self time.`, '', head, rule, ...lines].join('\n');
}

/** A stretch of the thread's time without an idle sample: what an ack waiting behind it waited for. */
export interface Stall {
  /** From the profile's start, in ms. */
  startMs: number;
  ms: number;
  rows: ProfileRow[];
}

/**
 * The stretches of at least `minMs` in which the thread never went idle, longest first:
 * the event loop's delay is made of these, and a request that arrived in one was read,
 * verified and acked only after it. Each comes with its functions, as {@link summarise} gives them.
 */
export function stalls(profile: CpuProfile, options: { minMs: number; root?: string }): Stall[] {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const { ids, ms } = sampleTimes(profile);
  const found: Stall[] = [];
  let at = 0;
  let atMs = 0;
  let elapsed = 0;
  for (let i = 0; i <= ids.length; i++) {
    if (i < ids.length && !idle.has(ids[i]!)) {
      elapsed += ms[i]!;
      continue;
    }
    const busy = elapsed - atMs;
    if (busy >= options.minMs) {
      const samples = { ids: ids.slice(at, i), ms: ms.slice(at, i) };
      found.push({ startMs: atMs, ms: busy, rows: summarise(profile, { ...(options.root !== undefined && { root: options.root }), samples }).rows });
    }
    if (i < ids.length) elapsed += ms[i]!;
    at = i + 1;
    atMs = elapsed;
  }
  return found.sort((a, b) => b.ms - a.ms);
}

/** The bundle `npm start` runs (bin/start.js builds it into node_modules/.cache/mcr-bot/). */
const BUNDLE = '.cache › mcr-bot/';

/** A repository's own function, from its sources or `npm start`'s bundle of them (not a package's, Node's, WebAssembly's or V8's). */
const isOwn = (row: ProfileRow) => row.location.startsWith(BUNDLE) || (row.location !== '' && !row.location.includes(' › ') && !/^(node|wasm):/.test(row.location));

/**
 * The `top` longest stalls as a Markdown table: when, how long, the repository's own functions
 * on the stack longest (the handlers that held the thread) and the functions that ran most.
 */
export function stallTable(found: Stall[], options: { top?: number; minMs: number }): string {
  const top = options.top ?? 15;
  const total = found.reduce((sum, s) => sum + s.ms, 0);
  const name = (r: ProfileRow, ms: number) => `${cell(r.name)} (${cell(r.location)}) ${ms.toFixed(0)}`;
  const lines = found.slice(0, top).map((s) => {
    const own = [...s.rows].filter(isOwn).sort((a, b) => b.totalMs - a.totalMs).slice(0, 4).map((r) => name(r, r.totalMs));
    const self = s.rows.slice(0, 3).map((r) => name(r, r.selfMs));
    return `| ${(s.startMs / 1000).toFixed(2)} | ${s.ms.toFixed(0)} | ${own.join('; ') || '–'} | ${self.join('; ')} |`;
  });
  return [
    `Stalls: ${found.length} stretches of ≥ ${options.minMs} ms without idle, ${total.toFixed(0)} ms in all; the ${Math.min(top, found.length)} longest.`,
    '',
    '| at (s) | busy ms | own functions on the stack (total ms) | most self time (ms) |',
    '|---:|---:|---|---|',
    ...lines,
  ].join('\n');
}

/** The `.cpuprofile` files in a folder, the largest first. */
export function profilesIn(dir: string): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  return files.map((f) => join(dir, f)).sort((a, b) => statSync(b).size - statSync(a).size);
}

/**
 * The table of a profile file, or of each profile in a folder (largest first, each under its
 * name): by function, file or package, or (`stallsOver`) its stalls of at least that many ms.
 */
export function summariseFile(path: string, options: { top?: number; by?: Grouping; root?: string; stallsOver?: number } = {}): string {
  const table = (file: string) => {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const minMs = options.stallsOver;
    return minMs === undefined ? profileTable(summarise(profile, options), options) : stallTable(stalls(profile, { minMs, root: options.root }), { top: options.top, minMs });
  };
  if (!statSync(path).isDirectory()) return table(path);
  return profilesIn(path)
    .map((file) => `### ${basename(file)}\n\n${table(file)}`)
    .join('\n\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const top = Number(option('top') ?? 15);
  const by = (option('by') ?? 'function') as Grouping;
  const root = option('root');
  const stallsOver = option('stalls');
  const minMs = stallsOver === undefined ? undefined : Number(stallsOver);
  if (!['function', 'file', 'package'].includes(by) || !Number.isInteger(top) || top < 1 || args.length !== 1 || (minMs !== undefined && !(minMs > 0))) {
    process.stderr.write('usage: tsx bench/cpu-profile.ts FILE|DIR [--top 15] [--by function|file|package] [--stalls MS] [--root DIR]\n');
    process.exitCode = 2;
  } else {
    try {
      process.stdout.write(`${summariseFile(args[0]!, { top, by, root, ...(minMs !== undefined && { stallsOver: minMs }) })}\n`);
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}
