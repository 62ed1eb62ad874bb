import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
const CACHE = join(ROOT, 'node_modules', '.cache', 'mcr-bot');

/** `npm start` is `node … bin/start.js`; run it the same way, with no terminal attached. */
function start(env: Record<string, string>, root = ROOT) {
  return spawnSync(process.execPath, START.split(' ').slice(1), {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: 'file::memory:', ...env },
    input: '',
    encoding: 'utf8',
  });
}

describe('npm start (interfaces.md "Run it")', () => {
  it('with no tokens and no terminal exits non-zero naming the settings to set', () => {
    const result = start({});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('SLACK_BOT_TOKEN');
    expect(result.stderr).toContain('MICROSOFT_APP_ID');
    expect(result.stderr).toContain('TEAMS_ENABLED');
  });

  it('with no tokens and a terminal opens the local console on SQLite', () => {
    // util-linux `script` gives the process a pseudo-terminal, as a person's shell would.
    const result = spawnSync('script', ['-qfec', `${JSON.stringify(process.execPath)} ${START.split(' ').slice(1).join(' ')}`, '/dev/null'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: 'file::memory:', TERM: 'dumb' },
      input: 'tier\nexit\n',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.stdout).toContain('MCR Bot console: database file::memory:');
    expect(result.stdout).toContain('No accounts yet.');
    expect(result.stdout).toContain('Bye.');
  });

  it('stops at a malformed setting with one line naming it', () => {
    const result = start({ PORT: '99999' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('PORT: must be a port number (1–65535)');
  });

  it('runs from a bundle of the sources, made once, and made again when a source changes', () => {
    // A copy of what the bundle is made of, sharing this checkout's node_modules (hence its cache).
    const copy = mkdtempSync(join(tmpdir(), 'mcr-start-'));
    mkdirSync(CACHE, { recursive: true });
    const before = new Set(readdirSync(CACHE));
    const added = () => readdirSync(CACHE).filter((name) => !before.has(name));
    try {
      for (const input of ['src', 'commands', 'migrations', 'bin', 'tsconfig.json', 'package.json', 'package-lock.json']) cpSync(join(ROOT, input), join(copy, input), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
      // The same sources: the bundle the tests above made is the one used.
      const first = start({}, copy);
      expect(first.stderr).toContain('SLACK_BOT_TOKEN');
      expect(first.stderr).not.toContain('running through tsx');
      expect(added()).toEqual([]);
      appendFileSync(join(copy, 'src', 'main.ts'), '\n// changed\n');
      expect(start({}, copy).stderr).toContain('SLACK_BOT_TOKEN');
      expect(added()).toHaveLength(1);
      expect(readdirSync(join(CACHE, added()[0]!))).toEqual(expect.arrayContaining(['main.js', 'csv-batches.worker.mjs']));
      // Its .js files say they are ES modules: without it, Node would scan each file for `import` before loading it.
      expect(JSON.parse(readFileSync(join(CACHE, added()[0]!, 'package.json'), 'utf8'))).toEqual({ type: 'module' });
      start({}, copy);
      expect(added()).toHaveLength(1);
      appendFileSync(join(copy, 'commands', 'index.ts'), '\n// changed\n');
      expect(start({}, copy).stderr).toContain('SLACK_BOT_TOKEN');
      expect(added()).toHaveLength(2);
    } finally {
      for (const name of added()) rmSync(join(CACHE, name), { recursive: true, force: true });
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
