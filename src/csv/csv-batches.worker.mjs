// Reads a CSV file with csv-parse on a worker thread and posts its records in batches
// (see read-csv.ts, which starts it). Plain JavaScript, as a worker thread starts
// without the TypeScript loader of the process that spawned it.
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { parse } from 'csv-parse';

/** @type {{ path: string, options: import('csv-parse').Options, firstBatchRecords: number, batchRecords: number, ahead: number, taken: Int32Array }} */
const { path, options, firstBatchRecords, batchRecords, ahead, taken } = workerData;
// Small reads, so that the first records reach the importer soon after it starts (the
// parser parses a whole read before it yields a record); it does not slow a large file.
const file = createReadStream(path, { highWaterMark: 16 * 1024 });
let sent = 0;
let records = [];

/** Posts the batch, then waits while `ahead` batches are still untaken: the file is read as fast as it is imported, never into memory whole. */
function post() {
  parentPort.postMessage({ records, bytesRead: file.bytesRead });
  records = [];
  sent++;
  for (let seen = Atomics.load(taken, 0); sent - seen >= ahead; seen = Atomics.load(taken, 0)) Atomics.wait(taken, 0, seen);
}

try {
  for await (const record of file.pipe(parse(options))) {
    records.push(record);
    // The first batch is small: the importer starts on it while the next is parsed.
    if (records.length >= (sent === 0 ? firstBatchRecords : batchRecords)) post();
  }
  if (records.length > 0) post();
  parentPort.postMessage({ done: true });
} catch (error) {
  // Records read before the error come first: the importer counts records to name its line.
  if (records.length > 0) post();
  parentPort.postMessage({ error: { code: error.code, message: error.message, lines: error.lines } });
}
