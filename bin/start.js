#!/usr/bin/env -S node --max-old-space-size=1024
// `npm start` and the image's CMD: the bot (src/main.ts) from a bundle of its TypeScript.
//
// Why not tsx, as `mcr` and the tests run it: on Node 20 tsx's loader hooks run on a thread of
// their own, and every module (ours and the 350 files of kysely's and zod's ESM builds) is a
// round trip to it: 1.3–1.9 s of a cold start, against ~0.6 s for the same modules loaded by
// Node itself (bench/README.md, "Cold start"). So the first start after a change bundles src/,
// commands/ and migrations/ with esbuild (tsx's own compiler; ~0.2 s), with the packages every
// start loads (BUNDLED), into node_modules/.cache/mcr-bot/<hash of those files>/, and every start runs
// that bundle. Nothing to remember: an edited file is a new hash, hence a new bundle. The image
// bundles while it is built (`bin/start.js --build`), as its files are read-only to the bot.
// Where the cache cannot be written, the bot runs through tsx as before, saying so.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What the bundle is made of: its sources, and what decides how they are compiled. */
const INPUTS = ['src', 'commands', 'migrations', 'tsconfig.json', 'package.json', 'package-lock.json', 'bin/start.js'];
/**
 * Packages compiled into the bundle: plain JavaScript that every start loads, whose hundreds of
 * files Node would otherwise find and compile one at a time (kysely's ESM build alone is 263
 * files, ~0.25 s; Bolt and what it requires ~0.35 s). Bundled, the bot is ready ~0.6 s sooner
 * (bench/README.md, "Cold start"). Every other package stays in node_modules: native addons
 * (better-sqlite3, resvg), code that reads files beside itself (subset-font's WebAssembly), and
 * what is loaded only when used (pg on PostgreSQL, the Teams side, the console).
 */
const BUNDLED = ['kysely', 'zod', '@slack/bolt'];
const CACHE = join(ROOT, 'node_modules', '.cache', 'mcr-bot');
/** Read beside the code at run time (`new URL('./…', import.meta.url)`), so copied next to the bundle. */
const BESIDE_THE_CODE = ['src/csv/csv-batches.worker.mjs', 'src/core/powermap-png.worker.mjs'];
/** Bundles of other sources kept (another checkout's bot may still be running from one). */
const KEEP = 3;

/** A hash of every input file's path and bytes (~200 small files: a few milliseconds). */
function sourceHash() {
  const hash = createHash('sha256');
  const add = (path) => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) add(join(path, name));
    } else {
      hash.update(`${relative(ROOT, path)}\0`).update(readFileSync(path)).update('\0');
    }
  };
  // (An installed package has no package-lock.json: the image hashes what it has.)
  for (const input of INPUTS) if (existsSync(join(ROOT, input))) add(join(ROOT, input));
  return hash.digest('hex').slice(0, 16);
}

/** Builds into a folder of this process, then renames it into place: two starts at once never see half a bundle. */
async function build(out) {
  const { build: esbuild } = await import('esbuild');
  const building = `${out}.${process.pid}.building`;
  await esbuild({
    absWorkingDir: ROOT,
    // The scheduler's and Slack's answers' threads are entries of their own (src/bot-thread.ts finds them beside main.js).
    entryPoints: ['src/main.ts', 'src/scheduler-main.ts', 'src/slack-main.ts'],
    outbase: 'src',
    outdir: building,
    bundle: true,
    // Chunks, so what main.ts imports only when needed (Teams, the console) stays unloaded until then.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Every dependency but the bundled ones (and what only they require, which esbuild follows).
    external: Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies)
      .filter((name) => !BUNDLED.includes(name))
      .flatMap((name) => [name, `${name}/*`]),
    // Bolt's CommonJS calls require() (Node's own modules, its JSON); an ES module has none of its own.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    // Stack traces still name src/….ts lines; the sources themselves are not copied into the map.
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'error',
  });
  for (const file of BESIDE_THE_CODE) copyFileSync(join(ROOT, file), join(building, file.split('/').at(-1)));
  // The bundle's .js files are ES modules. Node looks for that in the nearest package.json, but stops
  // at node_modules/, so without this one it would read every file as text and scan it for `import`
  // before loading it: 60–80 ms of each thread's start (bench/README.md, "Cold start").
  writeFileSync(join(building, 'package.json'), '{ "type": "module" }\n');
  try {
    renameSync(building, out);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(join(out, 'main.js'))) throw error;
  }
  const others = readdirSync(CACHE)
    .filter((name) => !name.endsWith('.building') && join(CACHE, name) !== out)
    .map((name) => ({ path: join(CACHE, name), at: statSync(join(CACHE, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of others.slice(KEEP)) rmSync(old.path, { recursive: true, force: true });
}

/** The bundle's folder, built if missing; undefined when it cannot be (the cache is read-only, esbuild absent). */
async function bundle() {
  const out = join(CACHE, sourceHash());
  if (existsSync(join(out, 'main.js'))) return out;
  try {
    await build(out);
    return out;
  } catch (error) {
    // A compile error is the developer's to see, as tsx would show it; esbuild has printed it.
    if (Array.isArray(error?.errors) && error.errors.length > 0) process.exit(1);
    process.stderr.write(`start-up: cannot bundle the bot into ${CACHE} (${error?.code ?? error?.message ?? error}); running through tsx, which starts slower\n`);
    return undefined;
  }
}

const out = await bundle();
if (process.argv.includes('--build')) {
  if (!out) process.exit(1);
  process.stdout.write(`bundled into ${relative(ROOT, out)}\n`);
} else if (out) {
  // This thread's stack traces in the log name src/….ts lines, not the bundle's. A worker does not
  // inherit this, and mapping at load costs each one ~0.1 s of its start: the threads' logged errors
  // are mapped when logged instead (sourceMappedStack, src/log.ts).
  process.setSourceMapsEnabled(true);
  const { main } = await import(pathToFileURL(join(out, 'main.js')).href);
  process.exitCode = await main();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/main.ts');
  process.exitCode = await main();
}
