// The stand-in for Slack on a thread of its own (slackStandInThread, slack-stand-in.ts): it serves
// as slackStandIn does and sends each record to the thread that started it. Plain JavaScript that
// registers tsx itself: a worker thread does not inherit its starter's loader hooks on Node 20
// (as src/typescript-thread.mjs).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { slackStandIn } = await import('./slack-stand-in.ts');
const standIn = await slackStandIn({ onRecord: (record) => parentPort.postMessage(record) });
parentPort.postMessage({ url: standIn.url });
