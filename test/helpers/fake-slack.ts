import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeServer } from './fake-server.ts';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
}

export interface FakeUser {
  email?: string;
  name: string;
  locale?: string;
}

type Failure = { status: number; retryAfter?: number; error?: string; after: number };

/**
 * A local stand-in for Slack's Web API (and for response_url posts): records every
 * call the app makes and answers like Slack. `failNext` makes a method answer with an
 * error once (e.g. a 429 with Retry-After, or `ok: false`).
 */

export class FakeSlack extends FakeServer<SlackCall> {
  readonly users = new Map<string, FakeUser>();
  private failures = new Map<string, Failure>();
  private hangs = new Set<string>();
  private delays = new Map<string, number>();
  private hung: ServerResponse[] = [];
  private viewCount = 0;

  protected handle(req: IncomingMessage, raw: string, res: ServerResponse, bytes: Buffer = Buffer.alloc(0)): void {
    const path = (req.url ?? '').split('?')[0]!;
    const body = path.startsWith('/upload/') ? {} : parseBody(raw, req.headers['content-type'] ?? '');
    const method = path.startsWith('/api/') ? path.slice(5) : path.startsWith('/response/') ? 'response_url' : path.startsWith('/upload/') ? 'upload' : path;
    // The bytes of an external upload: recorded by size and content type, and kept (`data`) for tests that decode them.
    if (method === 'upload') Object.assign(body, { file: path.slice(8), bytes: Number(req.headers['content-length']), contentType: req.headers['content-type'], data: bytes });
    if (this.hangs.delete(method)) {
      // Never answered: the caller waits, as if Slack had gone quiet (or the caller is killed meanwhile).
      this.record({ method: `${method} (hung)`, body });
      this.hung.push(res);
      return;
    }
    const delay = this.delays.get(method);
    if (delay !== undefined) {
      this.delays.delete(method);
      this.record({ method: `${method} (delayed ${delay} ms)`, body });
      setTimeout(() => this.handle(req, raw, res, bytes), delay);
      return;
    }
    const failure = this.failures.get(method);
    if (failure && failure.after > 0) failure.after--;
    else if (failure) {
      this.failures.delete(method);
      this.record({ method: `${method} (failed ${failure.status})`, body });
      res.writeHead(failure.status, { 'content-type': 'application/json', ...(failure.retryAfter !== undefined && { 'retry-after': String(failure.retryAfter) }) });
      res.end(JSON.stringify({ ok: false, error: failure.error ?? 'ratelimited' }));
      return;
    }
    this.record({ method, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.answer(method, body)));
  }

  override async stop(): Promise<void> {
    for (const res of this.hung.splice(0)) res.destroy();
    await super.stop();
  }

  /** The next call of `method` gets no answer at all. */
  hangNext(method: string): void {
    this.hangs.add(method);
  }

  /** The next call of `method` is answered, but only after `ms` (a slow Slack). */
  delayNext(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** A later call of `method` fails once: the next, or the one after `after` more that succeed. */
  failNext(method: string, failure: { status: number; retryAfter?: number; error?: string }, after = 0): void {
    this.failures.set(method, { ...failure, after });
  }

  /** Calls of one method so far. */
  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until `count()` reaches `target` (answers of several kinds together). */
  async waitUntilCount(count: () => number, target: number, timeoutMs = 10_000): Promise<void> {
    await this.waitUntil(() => count() >= target, timeoutMs, () => `${count()} of ${target}; got: ${this.calls.map((c) => c.method).slice(-20).join(', ')}`);
  }

  /** Waits until `count` calls of a method have arrived (the app works after its ack). */
  async waitFor(method: string, count = 1, timeoutMs = 10_000): Promise<SlackCall[]> {
    await this.waitUntil(() => this.of(method).length >= count, timeoutMs, () => `${count} × ${method}; got: ${this.calls.map((c) => c.method).join(', ')}`);
    return this.of(method);
  }

  private answer(method: string, body: Record<string, unknown>): unknown {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'mcr' };
      case 'users.info': {
        const id = String(body.user);
        const user = this.users.get(id) ?? { name: id };
        return { ok: true, user: { id, name: user.name, real_name: user.name, locale: user.locale ?? 'en-US', profile: { real_name: user.name, email: user.email } } };
      }
      case 'views.open':
      case 'views.update':
      case 'views.publish': {
        const view = typeof body.view === 'string' ? JSON.parse(body.view) : body.view;
        return { ok: true, view: { ...view, id: body.view_id ?? `V${++this.viewCount}`, hash: `h${this.viewCount}` } };
      }
      case 'files.getUploadURLExternal':
        // The upload URL points back at this fake, as Slack's points at its file servers.
        return { ok: true, upload_url: `${this.url}/upload/F${this.calls.length}`, file_id: `F${this.calls.length}` };
      case 'files.completeUploadExternal':
        return { ok: true, files: [] };
      case 'conversations.open':
        // The direct message between the bot and a user: D + the user's id.
        return { ok: true, channel: { id: `D${String(body.users).replace(/^U/, '')}` } };
      case 'chat.postMessage':
      case 'chat.postEphemeral':
        return { ok: true, ts: `${Date.now() / 1000}`, channel: body.channel };
      default:
        return { ok: true };
    }
  }
}

function parseBody(raw: string, type: string): Record<string, unknown> {
  if (!raw) return {};
  if (type.includes('json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Sends a request to the app signed as Slack signs it (v0 HMAC-SHA256 of the timestamp and body). */
export async function sendSigned(appUrl: string, secret: string, body: string, options: { contentType?: string; timestamp?: number; signature?: string; headers?: Record<string, string> } = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const response = await fetch(`${appUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
      ...options.headers,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** A slash command as Slack posts it. */
export function slashCommand(fake: FakeSlack, command: string, text: string, user = 'U1ALICE', channel = 'C1ACME'): string {
  return new URLSearchParams({
    token: 'x', team_id: 'T1', team_domain: 'acme', channel_id: channel, channel_name: 'acme', user_id: user, user_name: 'alice',
    command, text, api_app_id: 'A1', response_url: `${fake.url}/response/${Math.random().toString(36).slice(2)}`, trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
  }).toString();
}

/** An interactivity payload (`payload=…`) as Slack posts it. */
export function interaction(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A command button (`run:0`) pressed on the user's Home tab, which has no conversation, as Slack posts it. */
export function homeButtonPress(command: string, triggerId: string, user = 'U1ALICE'): string {
  return interaction({
    type: 'block_actions', team: { id: 'T1' }, api_app_id: 'A1', user: { id: user }, trigger_id: triggerId,
    container: { type: 'view', view_id: 'VHOME' }, view: { type: 'home', id: 'VHOME', hash: 'h', blocks: [] },
    actions: [{ type: 'button', action_id: 'run:0', block_id: 'b0', value: command, action_ts: '1' }],
  });
}

export const SIGNING_SECRET = 'test-signing-secret';

/**
 * The texts of a recorded message that Slack would read as markup but came from people:
 * a `<!…>` ping or a `<http…>` link in the fallback `text` or in any mrkdwn text
 * (plain_text is shown as written, so anything may stand there). Mentions of users
 * (`<@U…>`) are the bot's own and allowed.
 */
export function markupLeaks(body: Record<string, unknown>): string[] {
  const leaks: string[] = [];
  const check = (text: unknown) => {
    if (typeof text === 'string' && /<(?!@[UW][A-Z0-9]+>)/.test(text)) leaks.push(text);
  };
  check(body.text);
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn') check(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(typeof body.blocks === 'string' ? JSON.parse(body.blocks) : body.blocks);
  return leaks;
}
