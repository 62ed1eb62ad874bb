import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from './errors.ts';
import { MAP_FONT_FAMILY } from './powermap-svg.ts';

const require = createRequire(import.meta.url);
/** Noto Sans SC Regular (TTF, from @expo-google-fonts/noto-sans-sc): Chinese names draw the same on every machine. */
export const MAP_FONT_FILE = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
/** Font subsets the drawing thread keeps, by character set (see the worker). */
const SUBSETS_KEPT = 64;
/** Pictures kept, by their SVG: about 30–90 KB each. */
const PICTURES_KEPT = 64;
/** How long a picture is kept at most, however often it is asked for: its names and attitudes are personal data. */
const PICTURE_KEPT_MS = 10 * 60_000;
/**
 * Pictures waiting to be drawn at most (~2–4 s of drawing on an idle core). The thread draws at
 * the lowest priority, so under a load it cannot keep up with, pictures would wait minutes, long
 * after the asker moved on; a picture past this is refused at once (`map.busy`: the asker is told
 * and offered a button to ask again) instead.
 */
export const PICTURES_WAITING_MAX = 32;

type Answer = { id: number; png?: Uint8Array; error?: string };
let drawing: Worker | undefined;
const waiting = new Map<number, { resolve: (png: Buffer) => void; reject: (error: Error) => void }>();
let nextId = 0;

/**
 * The thread that draws (powermap-png.worker.mjs), started with the first picture: the font cut
 * and resvg's render are CPU-bound (~120 ms a picture on the bench's machine), and on the main
 * thread a brief's picture held up every other request of the bot. It does not keep the process
 * alive when nothing is waiting; should it fail, what waits is refused and the next picture
 * starts another.
 */
function drawingThread(): Worker {
  if (drawing) return drawing;
  // Its fonts hold the characters of the names drawn: the owner's alone (mkdtemp, 0700), gone with the process.
  const folder = mkdtempSync(join(tmpdir(), 'mcr-map-fonts-'));
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  const worker = new Worker(new URL('./powermap-png.worker.mjs', import.meta.url), {
    workerData: { fontFile: MAP_FONT_FILE, folder, family: MAP_FONT_FAMILY, subsetsKept: SUBSETS_KEPT },
    execArgv: [],
  });
  const fail = (error: Error) => {
    if (drawing === worker) drawing = undefined;
    for (const one of waiting.values()) one.reject(error);
    waiting.clear();
  };
  worker.on('message', ({ id, png, error }: Answer) => {
    const one = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) worker.unref();
    if (error !== undefined || !png) one?.reject(new Error(`power map picture: ${error ?? 'no PNG'}`));
    else one?.resolve(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the power map drawing thread stopped (exit code ${code})`)));
  worker.unref();
  drawing = worker;
  return worker;
}

/**
 * The last {@link PICTURES_KEPT} pictures by the hash of their SVG and scale: a team opening the
 * same account's brief before a meeting, or one person asking twice, costs one drawing (~30–120 ms
 * of CPU). Held in this process's memory only, never on disk, and for {@link PICTURE_KEPT_MS} at
 * most (a person erased with `forget` is in no kept picture ten minutes later); a picture is
 * returned only for the very SVG it was drawn from, i.e. to someone whose brief already holds
 * everything it shows, and changed data makes a new SVG, so nothing stale is shown. A drawing
 * that fails is not kept.
 */
const pictures = new Map<string, Promise<Buffer>>();

/**
 * SVG → PNG with resvg, the font given explicitly (no system fonts) so output is the same everywhere,
 * drawn on a thread of its own. `scale` below 1 draws it smaller (fewer bytes, for Teams' inline images).
 */
export function svgToPng(svg: string, options: { scale?: number } = {}): Promise<Buffer> {
  const scale = options.scale ?? 1;
  const key = createHash('sha256').update(`${scale}\n${svg}`).digest('base64');
  const kept = pictures.get(key);
  if (kept) {
    // Most recently used last: the first key is the one to drop.
    pictures.delete(key);
    pictures.set(key, kept);
    return kept;
  }
  const drawn = draw(svg, scale);
  const forget = () => pictures.get(key) === drawn && pictures.delete(key);
  drawn.catch(forget);
  setTimeout(forget, PICTURE_KEPT_MS).unref();
  pictures.set(key, drawn);
  if (pictures.size > PICTURES_KEPT) pictures.delete(pictures.keys().next().value!);
  return drawn;
}

function draw(svg: string, scale: number): Promise<Buffer> {
  if (waiting.size >= PICTURES_WAITING_MAX) return Promise.reject(new AppError('map.busy'));
  return new Promise<Buffer>((resolve, reject) => {
    const worker = drawingThread();
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    worker.ref();
    worker.postMessage({ id, svg, scale });
  });
}
