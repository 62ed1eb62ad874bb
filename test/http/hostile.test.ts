import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { memoryLogger } from '../helpers/context.ts';
import { FakeSlack, interaction, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';
import { rawRequest } from '../helpers/raw-http.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'MADEUP'];
const LONG = `/${'a'.repeat(10_000)}`;

/**
 * What each method on each path must get (issue 14 part 1). `MADEUP` is not an HTTP
 * method Node's parser knows: the connection is answered 400 before any route.
 * `/metrics` is off without METRICS_TOKEN: 404 like any unknown path.
 */
function expected(method: string, path: string): number {
  if (method === 'MADEUP') return 400;
  const bare = path.split('?')[0]!;
  if (bare === LONG) return 414;
  if (bare === '/slack/events') return method === 'POST' ? 401 : 405;
  if (bare === '/api/messages') return method === 'POST' ? 400 : 405;
  if (bare === '/healthz' || bare === '/readyz') return method === 'GET' || method === 'HEAD' ? 200 : 405;
  return 404;
}

const allow = (path: string) => ({ '/slack/events': 'POST', '/api/messages': 'POST', '/healthz': 'GET, HEAD', '/readyz': 'GET, HEAD' })[path.split('?')[0]!];

function sign(body: string, timestamp = Math.floor(Date.now() / 1000)) {
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}` };
}

describe('a hostile client over real HTTP (issue 14)', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let url: string;
  let dir: string;
  let db: Db;
  const log = memoryLogger();

  /** The process still answers: /healthz 200 through a fresh connection. */
  async function alive(): Promise<void> {
    const health = await rawRequest(url, { method: 'GET', path: '/healthz' });
    expect(health?.status).toBe(200);
  }

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
    fake.users.set('U2BOB', { name: 'Bob Li', email: 'bob@example.com' });
    clearProfileCache();
    dir = mkdtempSync(join(tmpdir(), 'mcr-hostile-'));
    const databaseUrl = `file:${join(dir, 'mcr.sqlite')}`;
    const config = loadConfig({ DATABASE_URL: databaseUrl, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`, TEAMS_ENABLED: 'true' });
    bot = await startBot({ ...config, port: 0 }, log, { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    db = createDb(databaseUrl);
    // The contact names the account: its command goes once the account's was answered (a
    // person's commands are worked on after their acks, and two at once may interleave).
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Acme Telecom" --tier strategic'));
    await fake.waitFor('response_url', 1);
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'contact add "Tom Baker" --account Acme --role influencer'));
    await fake.waitFor('response_url', 2);
  });
  afterAll(async () => {
    await db?.destroy();
    await bot?.stop();
    await fake?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every method on every path gets its status (405 with Allow, 404, 414, 400), and the process answers after', async () => {
    const paths = ['/slack/events', '/api/messages', '/healthz', '/readyz', '/metrics', '/', '/unknown', '/healthz?probe=1&x=%ZZ', '/slack/events?x=1', LONG];
    const wrong: string[] = [];
    for (const path of paths) {
      for (const method of METHODS) {
        const response = await rawRequest(url, { method, path });
        const want = expected(method, path);
        if (response?.status !== want) wrong.push(`${method} ${path.slice(0, 40)}: ${response?.status} (want ${want})`);
        if (want === 405 && response?.headers.allow !== allow(path)) wrong.push(`${method} ${path}: Allow ${response?.headers.allow}`);
      }
    }
    expect(wrong).toEqual([]);
    await alive();
  });

  it('timestamps: an hour ahead, not a number, or stale is 401 and does nothing; a few minutes of skew is fine', async () => {
    const now = Math.floor(Date.now() / 1000);
    const before = fake.of('response_url').length;
    for (const stamp of [now + 3600, now + 301, now - 600]) {
      const body = slashCommand(fake, '/mcr', 'account add Future --tier general');
      expect((await sendSigned(url, SIGNING_SECRET, body, { timestamp: stamp })).status).toBe(401);
    }
    for (const stamp of ['abc', '1e10', '', '-5', `${now}.5`]) {
      const body = slashCommand(fake, '/mcr', 'account add Future --tier general');
      const response = await rawRequest(url, { method: 'POST', path: '/slack/events', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': stamp, 'x-slack-signature': sign(body)['x-slack-signature'] }, body });
      expect(response?.status, stamp).toBe(401);
    }
    // Signed with the wrong secret, or not at all (Bolt's check, kept).
    const body = slashCommand(fake, '/mcr', 'account add Future --tier general');
    expect((await sendSigned(url, 'not-the-secret', body)).status).toBe(401);
    expect((await rawRequest(url, { method: 'POST', path: '/slack/events', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }))?.status).toBe(401);
    // Slack's unsigned SSL check is still answered, and nothing else rides along with it.
    expect((await rawRequest(url, { method: 'POST', path: '/slack/events', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `ssl_check=1&${body}` }))?.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.of('response_url')).toHaveLength(before);
    expect(await db.selectFrom('accounts').select('id').where('name', '=', 'Future').execute()).toEqual([]);
    // Four minutes ahead (a clock a little fast) is accepted.
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/tier', ''), { timestamp: now + 240 })).status).toBe(200);
    await fake.waitFor('response_url', before + 1);
    await alive();
  });

  it('oversized bodies are 413, declared or chunked; malformed ones 400', async () => {
    const big = 'x'.repeat(1_100_000);
    for (const path of ['/slack/events', '/api/messages']) {
      const declared = await rawRequest(url, { method: 'POST', path, headers: { 'content-type': 'application/json', 'content-length': String(50_000_000) }, body: '' });
      expect(declared?.status, `${path} declared`).toBe(413);
      const chunked = await rawRequest(url, { method: 'POST', path, headers: { 'content-type': 'application/json', ...sign(big) }, chunks: Array.from({ length: 11 }, () => big.slice(0, 100_000)) });
      expect(chunked?.status, `${path} chunked`).toBe(413);
    }
    const signedPost = (body: string, contentType: string) => rawRequest(url, { method: 'POST', path: '/slack/events', headers: { 'content-type': contentType, ...sign(body) }, body });
    expect((await signedPost('{"type": "block_actions", ', 'application/json'))?.status).toBe(400);
    expect((await signedPost('payload=%7B%22type%22%3A%ZZ', 'application/x-www-form-urlencoded'))?.status).toBe(400);
    expect((await signedPost('command=/tier&text=x', 'text/plain'))?.status).toBe(400);
    for (const body of ['{"type": "message", ', '[]', '"text"', 'null', '']) {
      expect((await rawRequest(url, { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json' }, body }))?.status, body).toBe(400);
    }
    // A body cut short (the client goes away mid-request), and a signed command sent in chunks.
    expect(await rawRequest(url, { method: 'POST', path: '/slack/events', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '5000' }, cutAfter: 'command=%2Ftier&te' })).toBeUndefined();
    expect(await rawRequest(url, { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json', 'content-length': '5000' }, cutAfter: '{"type":' })).toBeUndefined();
    const command = slashCommand(fake, '/tier', '');
    const before = fake.of('response_url').length;
    const chunked = await rawRequest(url, { method: 'POST', path: '/slack/events', headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(command) }, chunks: [command.slice(0, 10), command.slice(10, 50), command.slice(50)] });
    expect(chunked?.status).toBe(200);
    await fake.waitFor('response_url', before + 1);
    // A client going away is not an error of ours.
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
    await alive();
  });

  it('fuzzed slash-command text: always 2xx, every command answered, the process alive', async () => {
    const hostileText = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.array(fc.constantFrom('"', "'", '“', '”', '\\', '\u0000', '\u0007', '\u001b[31m', '\r\n', '\t', '<!channel>', '<@U1ALICE>', '--tier', '--json', '=HYPERLINK("x")', '#1', '#0', '#-1', '#99999999999999999999', 'Acme', '王芳', '\u202e', '\ud800', ' '), { maxLength: 12 }).map((parts) => parts.join(' ')),
      fc.constantFrom('x'.repeat(3000), '"'.repeat(500), 'Acme '.repeat(400)),
    );
    const words = fc.constantFrom('', 'help', 'account add', 'account edit Acme', 'contact add', 'visit', 'rate', 'brief', 'tier', 'plan', 'review', 'done', 'digest subscribe', 'digest list', 'map', 'dept', 'dept set Acme');
    const commands = fc.constantFrom('/visit', '/brief', '/rate', '/tier', '/mcr');
    const errorsBefore = log.lines.length;
    let sent = 0;
    const answered = () => fake.of('response_url').length + fake.of('views.open').length;
    const start = answered();
    await fc.assert(
      fc.asyncProperty(commands, words, hostileText, async (command, word, text) => {
        const line = command === '/mcr' ? `${word} ${text}` : text;
        const response = await sendSigned(url, SIGNING_SECRET, slashCommand(fake, command, line));
        sent++;
        expect(response.status).toBe(200);
      }),
      { numRuns: 70, seed: Number(process.env.MCR_FUZZ_SEED ?? 1414) },
    );
    // Every command was answered once: an ephemeral answer, or a modal.
    await fake.waitUntilCount(answered, start + sent, 20_000);
    expect(log.lines.slice(errorsBefore).filter((l) => l.level === 'error')).toEqual([]);
    await alive();
  });

  it('fuzzed /visit form values (signed, as Slack sends them): 200, an answer on the form or a write that is whole', async () => {
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/visit', 'Acme'));
    const opened = fake.of('views.open');
    await fake.waitFor('views.open', opened.length + 1);
    type Block = { type: string; block_id?: string; element?: { type: string; action_id: string; options?: Array<{ value: string }>; initial_option?: { value: string } } };
    const view = fake.of('views.open').at(-1)!.body.view as { blocks: Block[]; private_metadata: string; callback_id: string; title: unknown; submit: unknown; close: unknown };
    const inputs = view.blocks.filter((b) => b.type === 'input');
    const account = inputs.find((b) => b.block_id === 'account')!.element!.initial_option!.value;
    const contacts = (await db.selectFrom('contacts').select('id').execute()).map((c) => `#${c.id}`);
    const text = fc.oneof(
      { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 6 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
      { arbitrary: fc.constantFrom('', '   ', '\u0000', '"\'', '<!channel>', '=1+1', 'x'.repeat(5000)), weight: 1 },
    );
    const date = fc.constantFrom('2026-11-20', '2026-02-30', '2099-01-01', '', 'yesterday', '0000-00-00');
    const user = fc.constantFrom('U1ALICE', 'U2BOB', 'UNEW1', 'W0', '');
    // Mostly values a person could pick (so that many submissions are written), sometimes hostile ones.
    const either = <T,>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: hostile, weight: 1 });
    const pastDate = fc.date({ min: new Date('2020-01-01'), max: new Date('2026-11-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const cell = (block: Block): fc.Arbitrary<Record<string, unknown>> => {
      const type = block.element!.type;
      const row = /^next_steps\./.test(block.block_id!);
      switch (type) {
        case 'datepicker':
          return (row ? either(fc.constant(''), date) : either(pastDate, date)).map((selected_date) => ({ type, selected_date: selected_date || null }));
        case 'static_select':
          return either(fc.constantFrom(...(block.element!.options ?? []).map((o) => o.value)), text).map((value) => ({ type, selected_option: value === '' ? null : { value } }));
        case 'external_select':
          return either(fc.constant(account), fc.oneof(fc.constantFrom('#0', '#999999', 'Acme'), text)).map((value) => ({ type, selected_option: { value } }));
        case 'multi_external_select':
          return fc.array(either(fc.constantFrom(...contacts), fc.oneof(fc.constant('#0'), text)), { maxLength: 3 }).map((values) => ({ type, selected_options: values.map((value) => ({ value })) }));
        case 'users_select':
          return user.map((u) => ({ type, selected_user: u || null }));
        case 'multi_users_select':
          return fc.array(user.filter(Boolean), { maxLength: 3 }).map((selected_users) => ({ type, selected_users }));
        default:
          return (row ? fc.oneof(fc.constant(''), text) : text).map((value) => ({ type, value }));
      }
    };
    const state = fc.record(Object.fromEntries(inputs.map((b) => [b.block_id!, cell(b)])));
    const outcomes: Array<{ tag: string; accepted: boolean; steps: number }> = [];
    const errorsBefore = log.lines.length;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(state, fc.boolean(), async (values, tagged) => {
        const tag = `RUN${++n}Z`;
        const filled: Record<string, Record<string, unknown>> = {};
        // A next step's owner or due date without its text is a mistake a person makes sometimes, not half the time.
        const blankRows = new Set(inputs.filter((b) => /^next_steps\.\d+\.text$/.test(b.block_id!) && !String(values[b.block_id!]!.value ?? '').trim()).map((b) => b.block_id!.split('.')[1]));
        for (const block of inputs) {
          const value = { ...values[block.block_id!]! };
          const [field, row, cellId] = block.block_id!.split('.');
          if (field === 'next_steps' && cellId !== 'text' && blankRows.has(row) && n % 5 !== 0) delete value.selected_user, delete value.selected_date;
          if (block.block_id === 'summary' && tagged) value.value = `${tag} ${String(value.value ?? '')}`;
          filled[block.block_id!] = { [block.element!.action_id]: value };
        }
        const response = await sendSigned(url, SIGNING_SECRET, interaction({ type: 'view_submission', user: { id: 'U1ALICE' }, view: { ...view, id: `VF${n}`, hash: 'h', state: { values: filled } } }));
        expect(response.status).toBe(200);
        const accepted = response.text === '';
        if (!accepted) expect(response.json).toMatchObject({ response_action: 'errors' });
        if (tagged) {
          const steps = inputs.filter((b) => /^next_steps\.\d+\.text$/.test(b.block_id!) && String((filled[b.block_id!]![b.element!.action_id] as { value?: string }).value ?? '').trim() !== '').length;
          outcomes.push({ tag, accepted, steps });
        }
      }),
      { numRuns: 40, seed: Number(process.env.MCR_FUZZ_SEED ?? 1414) },
    );
    // No partial write: an activity exists exactly for each accepted submission, its claim beside it,
    // and every stored activity has its next steps, contacts and attendees (or none) whole.
    const activities = await db.selectFrom('activities').select(['id', 'summary']).execute();
    const claims = await db.selectFrom('submissions').select('key').where('key', 'like', 'slack:view:VF%').execute();
    expect(claims.length).toBe(activities.length);
    for (const outcome of outcomes) {
      const stored = activities.filter((a) => (a.summary ?? '').startsWith(outcome.tag + ' ') || a.summary === outcome.tag);
      expect(stored.length, `${outcome.tag} accepted=${outcome.accepted}`).toBe(outcome.accepted ? 1 : 0);
      if (stored[0]) {
        const steps = await db.selectFrom('next_steps').select('id').where('activity_id', '=', stored[0].id).execute();
        expect(steps.length, outcome.tag).toBe(outcome.steps);
      }
    }
    expect(log.lines.slice(errorsBefore).filter((l) => l.level === 'error')).toEqual([]);
    await alive();
  });
});

describe('the real process (npm start)', () => {
  it('GET, PUT and OPTIONS /slack/events no longer end it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcr-hostile-proc-'));
    const port = await freePort();
    const slack = await new FakeSlack().start();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: `file:${join(dir, 'mcr.sqlite')}`, PORT: String(port), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let exited: number | null | undefined;
    child.on('exit', (code) => (exited = code));
    let stderr = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('"msg":"listening"')) resolve();
        });
        child.on('exit', () => reject(new Error(`exited: ${stderr}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      for (const method of ['GET', 'PUT', 'OPTIONS', 'DELETE']) expect((await rawRequest(base, { method, path: '/slack/events' }))?.status).toBe(405);
      await new Promise((r) => setTimeout(r, 200));
      expect(exited).toBeUndefined();
      expect((await rawRequest(base, { method: 'GET', path: '/healthz' }))?.status).toBe(200);
    } finally {
      if (exited === undefined) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await new Promise((r) => child.once('exit', r));
        clearTimeout(killer);
      }
      await slack.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
