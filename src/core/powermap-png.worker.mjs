// Draws power map PNGs on a thread of its own (see powermap-png.ts, which starts it): cutting the
// font to a picture's characters and rendering it cost ~40 + ~80 ms of CPU a picture on the
// bench's machine, which on the bot's main thread held up every other request (bench --load).
// Plain JavaScript, as a worker thread starts without the TypeScript loader of the process that
// spawned it.
import { createHash } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Resvg } from '@resvg/resvg-js';
import subsetFont from 'subset-font';

/** @type {{ fontFile: string, folder: string, family: string, subsetsKept: number }} */
const { fontFile, folder, family, subsetsKept } = workerData;

// The lowest CPU priority, for this thread alone (on Linux a thread has its own nice value; its id
// is the last part of /proc/thread-self): a picture follows an answer already given, so on a busy
// machine the answers, acks and digests go first and the pictures take the CPU that is left
// (bench --load). Elsewhere the thread draws at the process's priority.
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19);
} catch {
  // Not Linux, or no /proc.
}

let fontData;
/** Subset font files by character set. resvg 2.6.2 reads fonts from files only (its `fontBuffers` is not in this build). */
const subsets = new Map();

/**
 * The font cut to the characters a picture uses. resvg re-reads its font for every text
 * run, so the 10.5 MB face cost ~5 ms a run; a subset of a few hundred glyphs costs
 * next to nothing (bench/map.ts). Subsets are kept by character set, the latest `subsetsKept`.
 */
function fontFor(svg) {
  const chars = [...new Set(unescapeXml(svg.replace(/<[^>]*>/g, '')))].sort().join('');
  let subset = subsets.get(chars);
  if (!subset) {
    fontData ??= readFile(fontFile);
    subset = fontData.then(async (font) => {
      const file = join(folder, `${createHash('sha256').update(chars).digest('hex').slice(0, 16)}.ttf`);
      await writeFile(file, await subsetFont(font, chars, { targetFormat: 'truetype' }));
      return file;
    });
    subset.catch(() => subsets.delete(chars));
    if (subsets.size >= subsetsKept) {
      const [oldest, file] = subsets.entries().next().value;
      subsets.delete(oldest);
      void file.then((f) => rm(f, { force: true })).catch(() => undefined);
    }
    subsets.set(chars, subset);
  }
  return subset;
}

function unescapeXml(svg) {
  return svg.replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]);
}

parentPort.on('message', async ({ id, svg, scale }) => {
  try {
    const resvg = new Resvg(svg, {
      font: { loadSystemFonts: false, fontFiles: [await fontFor(svg)], defaultFontFamily: family, sansSerifFamily: family },
      fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
    });
    parentPort.postMessage({ id, png: resvg.render().asPng() });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
