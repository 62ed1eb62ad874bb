import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { loadConfigOrSay, loadDotEnv } from '../../src/config.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The app manifest with the bot registration's id filled in where `${{MICROSOFT_APP_ID}}` stands. */
export function teamsManifest(appId: string): Record<string, unknown> {
  if (!GUID.test(appId)) throw new Error(`MICROSOFT_APP_ID: must be the bot registration's application (client) id, a GUID; got "${appId}"`);
  return JSON.parse(readFileSync(join(HERE, 'manifest.json'), 'utf8').replaceAll('${{MICROSOFT_APP_ID}}', appId)) as Record<string, unknown>;
}

/** The language files the manifest names (`localizationInfo`): zh-CN.json holds its Chinese strings. */
export function languageFiles(manifest: Record<string, unknown>): string[] {
  const info = manifest.localizationInfo as { additionalLanguages?: Array<{ file: string }> } | undefined;
  return (info?.additionalLanguages ?? []).map((language) => language.file);
}

/** The app package Teams uploads: manifest.json, the two icons and the language files at the root of a zip. */
export function teamsPackage(appId: string): Buffer {
  const manifest = teamsManifest(appId);
  const files = ['color.png', 'outline.png', ...languageFiles(manifest)];
  return zip([{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }, ...files.map((name) => ({ name, data: readFileSync(join(HERE, name)) }))]);
}

/** A zip of stored (uncompressed) entries: three small files need nothing more. */
function zip(entries: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** `npm run teams:package [-- OUT.zip]`: the zip to upload, for the MICROSOFT_APP_ID in the environment or .env. */
function main(): number {
  loadDotEnv();
  const config = loadConfigOrSay(process.stderr);
  if (!config) return 1;
  if (!config.teams.appId) {
    process.stderr.write('MICROSOFT_APP_ID: set it to the bot registration\'s application (client) id to build the Teams app package\n');
    return 1;
  }
  const out = process.argv[2] ?? 'build/mcr-bot-teams.zip';
  try {
    const data = teamsPackage(config.teams.appId);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, data);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`${out}: upload it in Teams → Apps → Manage your apps → Upload an app (or the Teams developer portal).\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
