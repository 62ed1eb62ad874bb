import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { SingleBar } from 'cli-progress';
import { t, type Locale } from '../i18n/index.ts';

/** What the importer reports as it goes: the share of the file read and the rows read so far. */
export type OnProgress = (share: number, rows: number) => void;

export interface ImportProgress {
  onProgress: OnProgress;
  /** Draws the last state and ends the line (after success or failure). */
  stop: () => void;
}

/**
 * The import's progress bar on a terminal: what it loads (kind and file), rows done of
 * the total, rows a second and time left (cli-progress). Only on a terminal's stderr:
 * a pipe, a file or a test gets nothing here, and the result line on stdout says what
 * was done. The total is the file's line count less its header, known before the first
 * row is read; a quoted cell that spans lines makes it a little high, so the bar ends
 * at the rows actually read.
 */
export async function importProgress(stream: NodeJS.WritableStream, kind: string, file: string, locale: Locale, now: () => number = Date.now): Promise<ImportProgress | undefined> {
  if ((stream as NodeJS.WriteStream).isTTY !== true) return undefined;
  const total = Math.max(1, (await countLines(file)) - 1);
  const started = now();
  const bar = new SingleBar({
    stream,
    format: t(locale, 'import.progress', { kind, file: basename(file) }),
    barsize: 20,
    hideCursor: false,
    clearOnComplete: false,
    etaBuffer: 50,
    fps: 10,
    formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? Number(value).toLocaleString('en-US') : String(value)),
  });
  const rate = (rows: number) => Math.round(rows / Math.max(0.001, (now() - started) / 1000)).toLocaleString('en-US');
  bar.start(total, 0, { rate: '0' });
  let last = 0;
  return {
    onProgress: (share, rows) => {
      last = rows;
      bar.update(Math.min(rows, total), { rate: rate(rows) });
    },
    stop: () => {
      if (last > 0 && last !== total) bar.setTotal(last);
      bar.update(last, { rate: rate(last) });
      bar.stop();
    },
  };
}

/** Newlines in a file, counted as it streams past (a large file is not held in memory). */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  let lastByte = 0x0a;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
    if (chunk.length > 0) lastByte = chunk[chunk.length - 1]!;
  }
  // A last line without its newline still counts.
  return lastByte === 0x0a ? lines : lines + 1;
}
