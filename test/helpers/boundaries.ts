import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/** A source file as the boundary rules read it: its path from the project root and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/**
 * One house rule about what may import what (style.md, issue 16). `files` says which
 * files it governs; `forbids` says what a governed file must not import (packages as
 * written, project files as paths from the root); `reads` what its text must not
 * contain. A rule is checked the same way over the real tree and over a planted file.
 */
export interface BoundaryRule {
  name: string;
  files: (path: string) => boolean;
  forbids?: (specifier: string) => boolean;
  reads?: RegExp;
}

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** Every source file under `dirs` (folders from `root`), paths from the root with `/`. */
export function sourceFiles(root: string, dirs: readonly string[]): SourceFile[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir)).flatMap((name) => {
      const path = posix.join(dir, name);
      if (name === 'node_modules') return [];
      return statSync(join(root, path)).isDirectory() ? walk(path) : SOURCE.test(name) ? [path] : [];
    });
  return dirs.flatMap(walk).map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

/**
 * What a file imports: static imports and re-exports (`import … from`, `import type`,
 * `export … from`, bare `import 'x'`), dynamic `import('x')` and `require('x')`. A
 * relative specifier becomes a path from the root (`src/slack/post.ts`); a package stays
 * as written (`@slack/bolt`, `node:fs`).
 */
export function importsOf(file: SourceFile): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  return [...file.text.matchAll(pattern)].map((m) => m[1]!).map((spec) => (spec.startsWith('.') ? posix.normalize(posix.join(posix.dirname(file.path), spec)) : spec));
}

/** The files that break a rule, each with what breaks it. */
export function violations(rule: BoundaryRule, files: readonly SourceFile[]): string[] {
  return files
    .filter((file) => rule.files(file.path))
    .flatMap((file) => [
      ...(rule.forbids ? importsOf(file).filter(rule.forbids).map((spec) => `${file.path} imports ${spec}`) : []),
      ...(rule.reads && rule.reads.test(file.text) ? [`${file.path} reads ${rule.reads.exec(file.text)![0]}`] : []),
    ]);
}

/** Is `path` inside one of the folders (or one of the files) named? */
export const under = (...places: string[]) => (path: string) => places.some((place) => path === place || path.startsWith(`${place}/`));
export const not = (test: (path: string) => boolean) => (path: string) => !test(path);
export const both = (a: (path: string) => boolean, b: (path: string) => boolean) => (path: string) => a(path) && b(path);
