// Runs a thread of the bot (its entry, src/scheduler-main.ts or src/slack-main.ts, the last of its
// argv) from the TypeScript sources, through tsx, as the tests and `mcr` run them; the bundle of
// bin/start.js starts its JavaScript entry directly. Plain JavaScript because a worker thread does
// not inherit the loader hooks of the thread that started it (Node 20: `--import tsx` in a worker's
// execArgv is not applied), so they are registered here, inside the thread, before the entry is
// imported. Each entry by name: a computed import would slip past test/boundary.test.ts.
import { register } from 'tsx/esm/api';

register();
const entry = process.argv.at(-1);
if (entry === './scheduler-main.ts') await import('./scheduler-main.ts');
else if (entry === './slack-main.ts') await import('./slack-main.ts');
else throw new Error(`typescript-thread.mjs: no thread's entry is named "${entry}"`);
