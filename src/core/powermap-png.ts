import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import subsetFont from 'subset-font';
import { MAP_FONT_FAMILY } from './powermap-svg.ts';

const require = createRequire(import.meta.url);
/** Noto Sans SC Regular (TTF, from @expo-google-fonts/noto-sans-sc): Chinese names draw the same on every machine. */
export const MAP_FONT_FILE = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

let fontData: Promise<Buffer> | undefined;
let folder: Promise<string> | undefined;
/** Subset font files by character set. resvg 2.6.2 reads fonts from files only (its `fontBuffers` is not in this build). */
const subsets = new Map<string, Promise<string>>();
const SUBSETS_KEPT = 64;

/**
 * The font cut to the characters a picture uses. resvg re-reads its font for every text
 * run, so the 10.5 MB face cost ~5 ms a run; a subset of a few hundred glyphs costs
 * next to nothing (bench/map.ts). Subsets are kept by character set, the latest 64.
 */
async function fontFor(svg: string): Promise<string> {
  const chars = [...new Set(unescapeXml(svg.replace(/<[^>]*>/g, '')))].sort().join('');
  let subset = subsets.get(chars);
  if (!subset) {
    fontData ??= readFile(MAP_FONT_FILE);
    folder ??= mkdtemp(join(tmpdir(), 'mcr-map-fonts-')).then((dir) => {
      // Its fonts hold the characters of the names drawn: gone with the process (the folder is the owner's alone meanwhile).
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      return dir;
    });
    subset = Promise.all([fontData, folder]).then(async ([font, dir]) => {
      const file = join(dir, `${createHash('sha256').update(chars).digest('hex').slice(0, 16)}.ttf`);
      await writeFile(file, await subsetFont(font, chars, { targetFormat: 'truetype' }));
      return file;
    });
    subset.catch(() => subsets.delete(chars));
    if (subsets.size >= SUBSETS_KEPT) {
      const [oldest, file] = subsets.entries().next().value!;
      subsets.delete(oldest);
      void file.then((f) => rm(f, { force: true })).catch(() => undefined);
    }
    subsets.set(chars, subset);
  }
  return subset;
}

/**
 * SVG → PNG with resvg, the font given explicitly (no system fonts) so output is the same everywhere.
 * `scale` below 1 draws it smaller (fewer bytes, for Teams' inline images).
 */
export async function svgToPng(svg: string, options: { scale?: number } = {}): Promise<Buffer> {
  const scale = options.scale ?? 1;
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [await fontFor(svg)], defaultFontFamily: MAP_FONT_FAMILY, sansSerifFamily: MAP_FONT_FAMILY },
    fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
  });
  return resvg.render().asPng();
}

function unescapeXml(svg: string): string {
  return svg.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);
}
