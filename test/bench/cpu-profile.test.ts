import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profileTable, shortPath, stalls, stallTable, summarise, summariseFile, type CpuProfile } from '../../bench/cpu-profile.ts';

const ROOT = '/repo';
const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber, columnNumber: 0 });

/**
 * root → main (src/main.ts:10) → fib → fib (recursion), main → handle (@slack/bolt), root → (garbage collector).
 * Samples every 1 ms except where the deltas say otherwise; V8 gives the delta before each sample.
 */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '', -1), children: [2, 6] },
    { id: 2, callFrame: frame('main', 'file:///repo/src/main.ts', 9), children: [3, 5] },
    { id: 3, callFrame: frame('fib', 'file:///repo/src/domain/x.ts', 0), children: [4] },
    { id: 4, callFrame: frame('fib', 'file:///repo/src/domain/x.ts', 0) },
    { id: 5, callFrame: frame('handle', 'file:///repo/node_modules/@slack/bolt/dist/App.js', 119) },
    { id: 6, callFrame: frame('(garbage collector)', '', -1) },
  ],
  startTime: 0,
  endTime: 10_000,
  // main, fib, fib(inner), fib(inner), handle, handle, gc, main
  samples: [2, 3, 4, 4, 5, 5, 6, 2],
  // the delta before each sample (µs): sample i lasts timeDeltas[i+1]
  timeDeltas: [0, 1000, 1000, 2000, 1000, 3000, 1000, 1000],
};

describe('bench/cpu-profile', () => {
  it('sums self time per function and counts recursion once in total time', () => {
    const { rows, durationMs } = summarise(profile, { root: ROOT });
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    // main: samples 0 (1 ms) and 7 (the last: the mean of the others, 10/7 ms)
    const mean = 10 / 7;
    expect(durationMs).toBeCloseTo(10 + mean);
    expect(byName.fib).toMatchObject({ location: 'src/domain/x.ts:1' });
    expect(byName.fib!.selfMs).toBeCloseTo(1 + 2 + 1); // samples 1, 2, 3
    expect(byName.fib!.totalMs).toBeCloseTo(4); // not 4 + 3 for the inner frames
    expect(byName.handle!.location).toBe('@slack/bolt › dist/App.js:120');
    expect(byName.handle!.selfMs).toBeCloseTo(3 + 1);
    expect(byName.main!.selfMs).toBeCloseTo(1 + mean);
    expect(byName.main!.totalMs).toBeCloseTo(1 + mean + 4 + 4);
    expect(byName['(garbage collector)']!.selfMs).toBeCloseTo(1);
    expect(rows.map((r) => r.name)).not.toContain('(root)');
    // sorted by self time (fib and handle tie at 4 ms on self and total: by name)
    expect(rows.map((r) => r.name)).toEqual(['fib', 'handle', 'main', '(garbage collector)']);
  });

  it('groups by package and by file', () => {
    const packages = summarise(profile, { root: ROOT, by: 'package' }).rows.map((r) => [r.name, r.selfMs]);
    expect(packages).toEqual([
      ['src/', expect.closeTo(4 + 1 + 10 / 7)],
      ['@slack/bolt', expect.closeTo(4)],
      ['(garbage collector)', expect.closeTo(1)],
    ]);
    const native: CpuProfile = { ...profile, nodes: profile.nodes.map((n) => (n.id === 5 ? { ...n, callFrame: frame('parse', '', -1) } : n)) };
    expect(summarise(native, { root: ROOT, by: 'package' }).rows.map((r) => r.name)).toEqual(['src/', '(native)', '(garbage collector)']);
    const files = summarise(profile, { root: ROOT, by: 'file' }).rows.map((r) => r.name);
    // ties on self and total time go by name
    expect(files).toEqual(['@slack/bolt › dist/App.js', 'src/domain/x.ts', 'src/main.ts', '(garbage collector)']);
  });

  it('shortens paths: repo-relative, package name for node_modules (scoped, nested), node: kept', () => {
    expect(shortPath('file:///repo/bench/x.ts', ROOT).file).toBe('bench/x.ts');
    expect(shortPath('file:///repo/node_modules/a/node_modules/kysely/dist/esm/index.js', ROOT)).toEqual({ file: 'kysely › dist/esm/index.js', pkg: 'kysely' });
    expect(shortPath('node:internal/modules/cjs/loader', ROOT)).toEqual({ file: 'node:internal/modules/cjs/loader', pkg: 'node' });
    expect(shortPath('file:///elsewhere/y.js', ROOT).file).toBe('/elsewhere/y.js');
  });

  it('falls back to hit counts when the profile has no samples', () => {
    const { samples: _s, timeDeltas: _t, ...rest } = profile;
    const hits: CpuProfile = { ...rest, nodes: rest.nodes.map((n) => ({ ...n, hitCount: n.id === 4 ? 3 : n.id === 2 ? 1 : 0 })) };
    const { rows, durationMs } = summarise(hits, { root: ROOT });
    expect(durationMs).toBeCloseTo(10);
    expect(rows[0]).toMatchObject({ name: 'fib', selfMs: 7.5, totalMs: 7.5 });
    expect(rows[1]).toMatchObject({ name: 'main', selfMs: 2.5, totalMs: 10 });
  });

  const dir = mkdtempSync(join(tmpdir(), 'cpu-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the top rows as a Markdown table, from a file or for each profile in a folder, largest first', () => {
    const table = profileTable(summarise(profile, { root: ROOT }), { top: 2 });
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^Profile: 11 ms sampled; top 2 by self time\.$/);
    expect(lines[2]).toBe('| function | where | self ms | self | total ms | total |');
    expect(lines[4]).toBe('| fib | src/domain/x.ts:1 | 4.0 | 35.0 % | 4.0 | 35.0 % |');
    expect(lines).toHaveLength(6);
    writeFileSync(join(dir, 'small.cpuprofile'), JSON.stringify({ nodes: [profile.nodes[0]], startTime: 0, endTime: 1, samples: [], timeDeltas: [] }));
    writeFileSync(join(dir, 'big.cpuprofile'), JSON.stringify(profile));
    expect(summariseFile(join(dir, 'big.cpuprofile'), { root: ROOT, top: 2 })).toBe(table);
    const both = summariseFile(dir, { root: ROOT, top: 2 });
    expect(both.startsWith(`### big.cpuprofile\n\n${table}\n\n### small.cpuprofile\n\nProfile: 0 ms sampled; top 0`)).toBe(true);
  });

  it('finds the stretches without an idle sample, longest first, with the repository functions that held the thread', () => {
    // main→fib 3 ms, idle 1 ms, main→handle (bolt) 2 ms + gc 1 ms, idle 1 ms, main 1 ms (the last: the mean)
    const withIdle: CpuProfile = {
      ...profile,
      nodes: [...profile.nodes.map((n) => (n.id === 1 ? { ...n, children: [2, 6, 7] } : n)), { id: 7, callFrame: frame('(idle)', '', -1) }],
      samples: [3, 4, 4, 7, 5, 5, 6, 7, 2],
      timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
    };
    const found = stalls(withIdle, { minMs: 2, root: ROOT });
    expect(found.map((s) => [s.startMs, s.ms])).toEqual([
      [0, 3],
      [4, 3],
    ]);
    expect(found[0]!.rows.map((r) => r.name)).toEqual(['fib', 'main']);
    expect(stalls(withIdle, { minMs: 3.5, root: ROOT })).toEqual([]);
    const lines = stallTable(found, { minMs: 2, top: 1 }).split('\n');
    expect(lines[0]).toBe('Stalls: 2 stretches of ≥ 2 ms without idle, 6 ms in all; the 1 longest.');
    expect(lines[4]).toBe('| 0.00 | 3 | fib (src/domain/x.ts:1) 3; main (src/main.ts:10) 3 | fib (src/domain/x.ts:1) 3; main (src/main.ts:10) 0 |');
    expect(lines).toHaveLength(5);
  });
});
