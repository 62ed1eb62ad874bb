import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `npm start` is `tsx src/main.ts`; run it the same way, with no terminal attached. */
function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
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
    const result = spawnSync('script', ['-qfec', `${JSON.stringify(process.execPath)} --import tsx src/main.ts`, '/dev/null'], {
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
});
