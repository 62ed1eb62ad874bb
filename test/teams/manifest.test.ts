import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { languageFiles, teamsManifest, teamsPackage } from '../../manifest/teams/package.ts';
import { punctuationSlips } from '../helpers/punctuation.ts';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const require = createRequire(import.meta.url);
const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * `npm run teams:package`, run as its script line says (checked below), from a folder
 * with no `.env`, with a clean environment plus `env`.
 */
function runTeamsPackage(args: string[], env: Record<string, string>, cwd: string) {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['teams:package'];
  expect(script).toBe('tsx manifest/teams/package.ts');
  return spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'manifest/teams/package.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  });
}

/** Microsoft's published JSON schema for the manifest version the source declares (from @microsoft/app-manifest). */
function schemaFor(manifest: { manifestVersion: string }): object {
  return require(`@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`) as object;
}

/** Microsoft's schema for a manifest's language file, of the same manifest version. */
function localizationSchemaFor(manifest: { manifestVersion: string }): object {
  return require(`@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`) as object;
}

/** PNG width, height and colour type (6 = RGBA) from its header. */
function pngHeader(file: Buffer) {
  return { width: file.readUInt32BE(16), height: file.readUInt32BE(20), colourType: file[25] };
}

describe('the Teams app package', () => {
  it('has a manifest that validates against Microsoft\'s schema once the app id is filled in', () => {
    const manifest = teamsManifest(APP_ID) as { manifestVersion: string; id: string; bots: Array<{ botId: string; commandLists: Array<{ commands: Array<{ title: string }> }> }> };
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const valid = ajv.validate(schemaFor(manifest), manifest);
    expect(ajv.errors ?? [], JSON.stringify(ajv.errors)).toEqual([]);
    expect(valid).toBe(true);
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0]!.botId).toBe(APP_ID);
  });

  it('lists the chat commands in the bot\'s command menu', () => {
    const manifest = teamsManifest(APP_ID) as { bots: Array<{ commandLists: Array<{ commands: Array<{ title: string }> }> }> };
    const titles = manifest.bots[0]!.commandLists[0]!.commands.map((c) => c.title);
    expect(titles.sort()).toEqual([...commands.filter((c) => c.slash).map((c) => c.name), 'mcr help'].sort());
  });

  it('is localised to Chinese: a zh-CN language file that validates, for every string a user sees', () => {
    type Manifest = { manifestVersion: string; localizationInfo: { defaultLanguageTag: string; additionalLanguages: Array<{ languageTag: string; file: string }> }; bots: Array<{ commandLists: Array<{ commands: Array<{ title: string; description: string }> }> }> };
    const manifest = teamsManifest(APP_ID) as Manifest;
    expect(manifest.localizationInfo.defaultLanguageTag).toBe('en-us');
    expect(manifest.localizationInfo.additionalLanguages).toEqual([{ languageTag: 'zh-cn', file: 'zh-CN.json' }]);
    const zh = JSON.parse(readFileSync(new URL('../../manifest/teams/zh-CN.json', import.meta.url), 'utf8')) as Record<string, string>;
    // The schema's key patterns are written for non-Unicode regular expressions (`\\b]`).
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    ajv.validate(localizationSchemaFor(manifest), zh);
    expect(ajv.errors ?? [], JSON.stringify(ajv.errors)).toEqual([]);
    expect(zh.$schema).toContain(`/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`);
    // Every command of the menu has its Chinese description, and nothing names a command that is not there.
    const commandsOf = manifest.bots[0]!.commandLists[0]!.commands;
    const described = Object.keys(zh).filter((key) => key.startsWith('bots['));
    expect(described.sort()).toEqual(commandsOf.map((_, i) => `bots[0].commandLists[0].commands[${i}].description`).sort());
    // A description's example is the command it describes, typed as in English (titles stay the commands' names).
    commandsOf.forEach((command, i) => {
      const text = zh[`bots[0].commandLists[0].commands[${i}].description`]!;
      expect(text, command.title).toMatch(/\p{Script=Han}/u);
      if (command.description.includes(':')) expect(text.split('：')[1]!.split(' ')[0], command.title).toBe(command.title);
    });
    for (const key of ['name.full', 'description.short', 'description.full']) expect(zh[key], key).toMatch(/\p{Script=Han}/u);
    // The message extension's search (src/teams/listeners/extension.ts) is there, and in Chinese too.
    const extension = (manifest as unknown as { composeExtensions: Array<{ botId: string; commands: Array<{ id: string; type: string }> }> }).composeExtensions[0]!;
    expect(extension.botId).toBe(APP_ID);
    expect(extension.commands.map((c) => [c.id, c.type])).toEqual([['searchAccount', 'query']]);
    for (const key of ['title', 'description', 'parameters[0].title', 'parameters[0].description']) expect(zh[`composeExtensions[0].commands[0].${key}`], key).toMatch(/\p{Script=Han}/u);
    expect(Object.values(zh).slice(1).flatMap((text) => punctuationSlips(text))).toEqual([]);
  });

  it('ships a 192×192 colour icon and a 32×32 outline icon with transparency', () => {
    const color = pngHeader(readFileSync(new URL('../../manifest/teams/color.png', import.meta.url)));
    const outline = readFileSync(new URL('../../manifest/teams/outline.png', import.meta.url));
    expect(color).toMatchObject({ width: 192, height: 192 });
    expect(pngHeader(outline)).toEqual({ width: 32, height: 32, colourType: 6 });
  });

  it('refuses an app id that is not a GUID', () => {
    expect(() => teamsManifest('my-bot')).toThrow(/MICROSOFT_APP_ID: must be the bot registration's application \(client\) id/);
  });

  it('npm run teams:package builds a zip Teams can upload: manifest and icons at its root', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcr-teams-pkg-'));
    try {
      const out = join(dir, 'app.zip');
      const result = runTeamsPackage([out], { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret' }, dir);
      expect(result.status, result.stderr).toBe(0);
      const listing = execFileSync('unzip', ['-l', out], { encoding: 'utf8' });
      for (const name of ['manifest.json', 'color.png', 'outline.png', 'zh-CN.json']) expect(listing).toContain(name);
      expect(languageFiles(teamsManifest(APP_ID))).toEqual(['zh-CN.json']);
      expect(JSON.parse(execFileSync('unzip', ['-p', out, 'zh-CN.json'], { encoding: 'utf8' }))['name.full']).toBe('MCR Bot：管理客户关系');
      const manifest = JSON.parse(execFileSync('unzip', ['-p', out, 'manifest.json'], { encoding: 'utf8' })) as { id: string };
      expect(manifest.id).toBe(APP_ID);
      // The same bytes the function builds.
      writeFileSync(join(dir, 'again.zip'), teamsPackage(APP_ID));
      expect(execFileSync('unzip', ['-t', join(dir, 'again.zip')], { encoding: 'utf8' })).toMatch(/No errors detected/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('npm run teams:package without MICROSOFT_APP_ID says what to set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcr-teams-pkg-'));
    try {
      const result = runTeamsPackage([], {}, dir);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^MICROSOFT_APP_ID: set it/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
