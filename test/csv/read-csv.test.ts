import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvError, csvBatches, type CsvBatch } from '../../src/csv/read-csv.ts';

const OPTIONS = { bom: true, skip_empty_lines: true, relax_column_count: true };

/**
 * The two ways a file is read: at once on the calling thread (small files) or on a
 * worker thread a batch at a time (large ones). Both give the records csv-parse gives.
 */
describe('reading CSV records (small files at once, large ones on a worker)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcr-read-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (text: string) => {
    const path = join(dir, `${Math.random()}.csv`);
    writeFileSync(path, text);
    return path;
  };
  const read = async (path: string, atOnceBytes?: number) => {
    const batches: CsvBatch[] = [];
    for await (const batch of csvBatches(path, OPTIONS, atOnceBytes)) batches.push(batch);
    return batches;
  };

  it('gives the same records both ways, in order, with quoted newlines, commas, Chinese text and a BOM', async () => {
    const lines = ['name,notes', ...Array.from({ length: 2345 }, (_, i) => `客户 ${i},"line one, ${i}\nline two ""quoted"""`)];
    const path = file(`\uFEFF${lines.join('\r\n')}\r\n`);
    const expected = parse(`${lines.join('\n')}\n`, OPTIONS) as string[][];
    for (const atOnce of [Number.POSITIVE_INFINITY, 0]) {
      const batches = await read(path, atOnce);
      expect(batches.flatMap((b) => b.records)).toEqual(expected);
      expect(batches.every((b) => b.records.length <= 500)).toBe(true);
      // Progress only grows, and ends at the whole file.
      const progress = batches.map((b) => b.bytesRead);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBeGreaterThan(0);
    }
  });

  it('yields the records before a fault, then the parser\'s error, both ways', async () => {
    const path = file(`a,b\n${Array.from({ length: 1200 }, (_, i) => `${i},x`).join('\n')}\n1201,"open\n1202,y\n`);
    for (const atOnce of [Number.POSITIVE_INFINITY, 0]) {
      const records: string[][] = [];
      const error = await (async () => {
        for await (const batch of csvBatches(path, OPTIONS, atOnce)) records.push(...batch.records);
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CsvError);
      expect((error as CsvError).code).toBe('CSV_QUOTE_NOT_CLOSED');
      expect(records).toHaveLength(1201);
    }
  });

  it('stops the worker when the reader stops early', async () => {
    const path = file(`n\n${Array.from({ length: 20_000 }, (_, i) => i).join('\n')}\n`);
    let seen = 0;
    for await (const batch of csvBatches(path, OPTIONS, 0)) {
      seen += batch.records.length;
      if (seen >= 1000) break;
    }
    // Reading again works, and the test process exits (a worker left running would hold it).
    expect((await read(path, 0)).flatMap((b) => b.records)).toHaveLength(20_001);
  });
});
