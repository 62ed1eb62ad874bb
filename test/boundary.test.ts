import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PLATFORM_SDK = /from\s+['"](@slack\/|botbuilder|@microsoft\/)/;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const importsOf = (file: string) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);

/** Static and dynamic imports of a file, as paths from the project root (packages as written). */
const resolvedImportsOf = (file: string) =>
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => (m[1]!.startsWith('.') ? relative('.', join(file, '..', m[1]!)) : m[1]!));

/** The files of `dirs` that import something under one of `forbidden` (folders from the root). */
const importersOf = (dirs: string[], forbidden: string[]) =>
  dirs.flatMap(sources).filter((f) => resolvedImportsOf(f).some((m) => forbidden.some((dir) => m.startsWith(`${dir}/`))));

describe('boundaries (style.md)', () => {
  it('commands/ and src/domain/ import no platform SDK', () => {
    const offenders = [...sources('commands'), ...sources('src/domain')].filter((f) => PLATFORM_SDK.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('src/domain/ is pure: no database, no I/O, no clock, no environment', () => {
    for (const file of sources('src/domain')) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(importsOf(file).filter((m) => m.startsWith('node:') || m.includes('/db/') || m === 'kysely' || m === 'better-sqlite3'), file).toEqual([]);
      expect(/process\.env|Date\.now\(\)|new Date\(\)/.test(text), `${file} reads the clock or the environment`).toBe(false);
    }
  });

  it('prom-client lives in src/metrics/ and pino in src/log.ts: the core, the commands and the domain count and log through their ports', () => {
    const all = [...sources('src'), ...sources('commands')];
    expect(all.filter((f) => importsOf(f).some((m) => m.startsWith('prom-client'))).map((f) => relative('.', f))).toEqual(['src/metrics/prometheus.ts']);
    expect(all.filter((f) => importsOf(f).some((m) => m === 'pino' || m.startsWith('pino/'))).map((f) => relative('.', f))).toEqual(['src/log.ts']);
  });

  it('only src/config.ts reads process.env', () => {
    const readers = [...sources('src'), ...sources('commands')].filter((f) => /process\.env/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(readers.map((f) => relative('.', f))).toEqual(['src/config.ts']);
  });

  it('all Kysely queries live in src/db/ (commands reach the database through repositories)', () => {
    const offenders = sources('commands').filter((f) => /\.(selectFrom|insertInto|updateTable|deleteFrom)\(/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('src/core/ and src/domain/ import nothing from commands/: the composition root hands the command list in', () => {
    expect(importersOf(['src/core', 'src/domain'], ['commands'])).toEqual([]);
  });

  it('src/scheduler/ imports no adapter: the posters implement the core\'s port and main hands them in', () => {
    expect(importersOf(['src/scheduler'], ['src/slack', 'src/teams', 'src/console'])).toEqual([]);
  });

  it('the import check sees static and dynamic imports (so the rules above can fail)', () => {
    // src/cli/main.ts, a composition root, imports the command list statically and main.ts dynamically.
    expect(importersOf(['src/cli'], ['commands'])).toEqual(['src/cli/main.ts']);
    expect(resolvedImportsOf('src/cli/main.ts')).toContain('src/main.ts');
  });
});
