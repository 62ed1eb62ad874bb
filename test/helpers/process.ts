import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/mcr.js', import.meta.url));
const HOLDER = fileURLToPath(new URL('./hold-insert.ts', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `mcr …` as a real process, with a clean environment plus `env`, feeding `input` on stdin. */
export function runMcr(args: string[], env: Record<string, string>, input = ''): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A process's text as written, before it was wrapped to the terminal's 80 columns (CJK wraps without a space). */
export const unwrapped = (text: string) => text.replace(/\s+/g, '');

/** Starts another process that inserts `name` and keeps its transaction open for `ms`; resolves once the row is in, uncommitted. */
export function holdInsert(url: string, name: string, ms: number): Promise<{ done: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, url, name, String(ms)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const done = new Promise<string>((settle) => child.on('close', () => settle(out + err)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('held')) resolve({ done });
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => reject(new Error(`holder exited ${code} before holding: ${out}${err}`)));
  });
}
