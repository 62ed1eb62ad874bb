import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

let folder: Promise<string> | undefined;

/**
 * Writes a file only its owner can read: the power map has real people's names and
 * attitudes (issue 18 part 1). The folder is made once per process by mkdtemp (mode
 * 0700, a random name, never a shared cache); the file gets mode 0600.
 */
export async function writePrivateFile(fileName: string, bytes: Buffer | string): Promise<string> {
  folder ??= mkdtemp(join(tmpdir(), 'mcr-'));
  folder.catch(() => (folder = undefined));
  const file = join(await folder, basename(fileName));
  await writeFile(file, bytes, { mode: 0o600 });
  return file;
}
