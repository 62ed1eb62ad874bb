import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

/** What the stand-in saw: every `chat.postMessage`, and when each reply arrived. */
export interface SlackStandIn {
  url: string;
  /** Every `chat.postMessage`: channel, blocks (JSON) and when it arrived (`performance.now()`); none kept with `keepPosts: false`. */
  posts: Array<{ channel: string; blocks: string; at: number }>;
  /** How many `chat.postMessage` calls arrived, kept or not. */
  postCount(): number;
  /** The first `response_url` post (the answer) by the id at the end of its path, with its arrival time. */
  responses: Map<string, number>;
  /** A later `response_url` post that shows a picture (a brief's power map, drawn after the answer), by the same id. */
  pictures: Map<string, number>;
  /** `views.publish` arrival times per Slack user, in order. */
  published: Map<string, number[]>;
  close(): Promise<void>;
}

/**
 * A local stand-in for Slack's Web API and its `response_url`s, for the bench (its phases,
 * `--cold` and `--load`): answers like Slack (enough for the bot: auth, users, views,
 * uploads, messages) and records what arrived and when, so the bench can tell how long a
 * user waited for the answer. `keepPosts: false` only counts the messages: a digest of
 * every account would otherwise make them the largest thing the phase holds.
 */
export async function slackStandIn({ keepPosts = true, onRecord }: { keepPosts?: boolean; onRecord?: (record: StandInRecord) => void } = {}): Promise<SlackStandIn> {
  const { keep, kept } = keeper();
  // Kept here, or handed to the thread that keeps them (slackStandInThread).
  const record = onRecord ?? keep;
  let uploads = 0;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const at = performance.now();
      const path = (req.url ?? '').split('?')[0]!;
      if (path.startsWith('/response/')) {
        const id = path.slice('/response/'.length);
        // The picture follows the answer on the same response_url: timing it as the answer would time the drawing.
        const blocks = (JSON.parse(raw || '{}') as { blocks?: Array<{ type?: string }> }).blocks;
        record({ kind: blocks?.[0]?.type === 'image' ? 'picture' : 'response', id, at: performance.timeOrigin + at });
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
      if (path.startsWith('/upload/')) return void res.writeHead(200).end('OK');
      const method = path.replace(/^\/api\//, '');
      const body = (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(raw || '{}') as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(raw));
      const answer: Record<string, unknown> = { ok: true };
      switch (method) {
        case 'auth.test':
          Object.assign(answer, { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'mcr' });
          break;
        case 'users.info': {
          const id = String(body.user);
          Object.assign(answer, { user: { id, name: id, real_name: id, locale: 'en-US', profile: { real_name: id } } });
          break;
        }
        case 'views.publish': {
          const user = String(body.user_id);
          record({ kind: 'published', id: user, at: performance.timeOrigin + at });
          Object.assign(answer, { view: { id: `V${user}`, hash: 'h' } });
          break;
        }
        case 'views.open':
        case 'views.update':
          Object.assign(answer, { view: { id: 'VOPEN', hash: 'h' } });
          break;
        case 'conversations.open':
          Object.assign(answer, { channel: { id: `D${String(body.users ?? 'X')}` } });
          break;
        case 'files.getUploadURLExternal':
          uploads++;
          Object.assign(answer, { upload_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload/F${uploads}`, file_id: `F${uploads}` });
          break;
        case 'chat.postMessage':
          record({ kind: 'post', id: String(body.channel ?? ''), at: performance.timeOrigin + at, ...(keepPosts && { blocks: typeof body.blocks === 'string' ? body.blocks : JSON.stringify(body.blocks) }) });
          Object.assign(answer, { ts: `${Date.now() / 1000}`, channel: body.channel });
          break;
        case 'chat.postEphemeral':
          Object.assign(answer, { message_ts: `${Date.now() / 1000}` });
          break;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ...kept,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** One thing the stand-in saw, as it is kept or sent to another thread: `at` is absolute (`performance.timeOrigin` + `performance.now()`); `blocks` only for a post kept. */
export type StandInRecord = { kind: 'response' | 'picture' | 'published' | 'post'; id: string; at: number; blocks?: string };

/** What the stand-in keeps of its records (on this thread, times in its `performance.now()`), and how each is kept. */
function keeper(): { keep: (record: StandInRecord) => void; kept: Omit<SlackStandIn, 'url' | 'close'> } {
  const posts: SlackStandIn['posts'] = [];
  let postCount = 0;
  const responses = new Map<string, number>();
  const pictures = new Map<string, number>();
  const published = new Map<string, number[]>();
  const keep = ({ kind, id, at: absolute, blocks }: StandInRecord) => {
    const at = absolute - performance.timeOrigin;
    if (kind === 'picture') pictures.set(id, at);
    // The first post to a response_url is the answer; a later one is not timed.
    else if (kind === 'response') responses.set(id, responses.get(id) ?? at);
    else if (kind === 'published') published.set(id, [...(published.get(id) ?? []), at]);
    else {
      postCount++;
      if (blocks !== undefined) posts.push({ channel: id, blocks, at });
    }
  };
  return { keep, kept: { posts, postCount: () => postCount, responses, pictures, published } };
}

/**
 * {@link slackStandIn} on a thread of its own (slack-stand-in.thread.mjs), for `--load`: there
 * it takes the bot's replies, pictures' uploads and digests (thousands of requests a minute,
 * some of 100 KB) while the load generator times the acks on this thread's event loop; on
 * one loop an ack answered while the stand-in parsed an upload was timed late, and only
 * the bot's (bare Bolt posts nothing). Its records come here as they are made, with their
 * times in this thread's `performance.now()`.
 */
export async function slackStandInThread(): Promise<SlackStandIn> {
  const worker = new Worker(new URL('./slack-stand-in.thread.mjs', import.meta.url));
  const { keep, kept } = keeper();
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: { url: string } | StandInRecord) => ('url' in message ? resolve(message.url) : keep(message)));
  });
  return { url, ...kept, close: async () => void (await worker.terminate()) };
}

/** A port free on 127.0.0.1 now, for a process the bench starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
