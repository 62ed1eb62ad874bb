import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Context } from '../../src/core/command.ts';
import { runLine } from '../../src/core/dispatch.ts';
import { rememberConversation } from '../../src/db/conversation.repository.ts';
import { claimDelivery } from '../../src/db/delivery.repository.ts';
import { linkPlatformPerson } from '../../src/db/person.repository.ts';
import type { Db } from '../../src/db/create-db.ts';
import { sendDueDigests } from '../../src/scheduler/jobs/send-digests.ts';
import { sendDueReminders } from '../../src/scheduler/jobs/send-reminders.ts';
import type { JobDeps } from '../../src/scheduler/jobs/job.ts';
import { createSlackPoster } from '../../src/slack/post.ts';
import { createTeamsPoster } from '../../src/teams/post.ts';
import { commandIndex, actor, memoryLogger, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';
import { FakeConnector } from '../helpers/fake-connector.ts';
import { FakeSlack, markupLeaks } from '../helpers/fake-slack.ts';

const BIN = fileURLToPath(new URL('../../bin/mcr.js', import.meta.url));
/** Monday 2026-11-23 09:00 in Shanghai. */
const MONDAY_9 = new Date('2026-11-23T01:00:00Z');
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);

type Block = { type: string; text?: { text: string }; elements?: unknown[] };
const blocksOf = (call: { body: Record<string, unknown> }) => (typeof call.body.blocks === 'string' ? JSON.parse(call.body.blocks) : call.body.blocks) as Block[];
const textOf = (call: { body: Record<string, unknown> }) => blocksOf(call).map((b) => b.text?.text ?? '').join('\n');

describe('scheduled digests, exactly once (issue 7)', () => {
  let slack: FakeSlack;
  let connector: FakeConnector;
  let db: Db;
  let url: string;
  let cleanup: () => Promise<void>;
  let config: Config;
  let log: ReturnType<typeof memoryLogger>;
  let admin: Context;

  const deps = (instance: string, database: Db = db): JobDeps => {
    const base = { db: database, config, log, commands: commandIndex };
    return { ...base, outbox: { slack: createSlackPoster(config), teams: createTeamsPoster(base) }, instance };
  };
  const posts = () => slack.of('chat.postMessage');
  /** Subscribes a channel as the operator, on Friday before the Monday slot. */
  const subscribe = async (channel: { platform: 'slack' | 'teams'; id: string }, words = '') => {
    const reply = await runLine({ ...admin, channel }, `digest subscribe ${words}`);
    expect(reply.status, replyText(reply)).toBe('ok');
  };

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    connector = await new FakeConnector().start();
  });
  afterAll(async () => {
    await slack.stop();
    await connector.stop();
  });
  beforeEach(async () => {
    ({ db, url, cleanup } = await tempDb());
    slack.calls.length = 0;
    connector.calls.length = 0;
    log = memoryLogger();
    config = loadConfig({ DATABASE_URL: url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: `${slack.url}/api/`, TEAMS_ENABLED: 'true', MCR_TIMEZONE: 'Asia/Shanghai' });
    const a = await actor(db, { today: '2026-11-20', config: { timezone: 'Asia/Shanghai' } });
    admin = a.ctx;
    for (const line of [
      'account add "Acme Telecom" --tier strategic --account-manager alice@example.com',
      'contact add "Tom Baker" --account Acme --position A --role decision_maker --owner-a alice@example.com',
      'visit Acme --with "Tom Baker" --date 2026-11-18 --summary "Pricing review" --attendees alice@example.com --next "Send quote; alice@example.com; 2026-11-19"',
    ]) {
      const reply = await a.run(line);
      expect(reply.status, replyText(reply)).toBe('ok');
    }
    await linkPlatformPerson(db, { platform: 'slack', id: 'U1ALICE', email: 'alice@example.com', name: 'Alice Chen', locale: 'en-US' }, new Date());
  });
  afterEach(async () => cleanup());

  it('fires a weekly subscription once at its instant, not before, and not again after a restart', async () => {
    await subscribe({ platform: 'slack', id: 'C1ACME' });
    expect((await sendDueDigests(deps('a'), at(MONDAY_9, -1))).sent).toEqual([]);
    expect(posts()).toHaveLength(0);
    expect((await sendDueDigests(deps('a'), MONDAY_9)).sent).toEqual(['digest:1:2026-11-23T09:00']);
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.body.channel).toBe('C1ACME');
    const text = textOf(posts()[0]!);
    expect(text).toMatch(/Weekly digest · 2026-11-16 – 2026-11-22/);
    expect(text).toMatch(/Pricing review/);
    // The owner is mentioned in Slack's own way.
    expect(text).toMatch(/<@U1ALICE>/);
    expect(text).toMatch(/Send quote/);
    await sendDueDigests(deps('a'), at(MONDAY_9, 1));
    // A restart mid-period: a new process, same database.
    await sendDueDigests(deps('b'), at(MONDAY_9, 180));
    expect(posts()).toHaveLength(1);
    const listed = await runLine(admin, 'digest list');
    expect(replyText(listed)).toMatch(/slack:C1ACME/);
    expect(replyText(listed)).not.toMatch(/never/);
  });

  it('posts people\'s text escaped, in blocks and the fallback text, with the owner still a real mention (issue 14)', async () => {
    const a = await actor(db, { today: '2026-11-20' });
    const evil = '<!channel> <http://evil|Acme> & *bold*';
    expect((await a.run(`contact add "${evil}" --account Acme --position B --role user --owner-a alice@example.com`)).status).toBe('ok');
    expect((await a.run(`visit Acme --with "${evil}" --date 2026-11-19 --summary "<!here> see <http://evil|the deck> & more" --next "Call <!everyone>; alice@example.com; 2026-11-25"`)).status).toBe('ok');
    await subscribe({ platform: 'slack', id: 'C1ACME' });
    await sendDueDigests(deps('a'), MONDAY_9);
    const posted = posts();
    expect(posted.length).toBeGreaterThan(0);
    for (const post of posted) expect(markupLeaks(post.body)).toEqual([]);
    const all = JSON.stringify(posted.map((p) => p.body));
    expect(all).toContain('&lt;!here&gt; see &lt;http://evil|the deck&gt; &amp; more');
    expect(all).toMatch(/<@U1ALICE>/);
  });

  it('resends exactly once after a crash between claim and send, when the dead claim\'s lease runs out', async () => {
    await subscribe({ platform: 'slack', id: 'C1ACME' });
    // An instance claimed the period and died before sending.
    expect(await claimDelivery(db, 'digest:1:2026-11-23T09:00', 'dead-instance', MONDAY_9, 2 * 60_000)).toBe(true);
    await sendDueDigests(deps('b'), at(MONDAY_9, 1));
    expect(posts()).toHaveLength(0);
    await sendDueDigests(deps('b'), at(MONDAY_9, 3));
    await sendDueDigests(deps('c'), at(MONDAY_9, 4));
    expect(posts()).toHaveLength(1);
  });

  it('skips a period more than 24 h late with a log line, and catches up one 3 h late', async () => {
    await subscribe({ platform: 'slack', id: 'C1ACME' });
    const late = await sendDueDigests(deps('a'), at(MONDAY_9, 25 * 60));
    expect(late.skipped).toEqual(['digest:1:2026-11-23T09:00']);
    expect(posts()).toHaveLength(0);
    expect(log.lines.some((l) => /digest skipped/.test(String(l.msg ?? l.message)))).toBe(true);
    // The next week's period, caught up 3 hours late.
    const next = at(MONDAY_9, 7 * 24 * 60 + 180);
    expect((await sendDueDigests(deps('a'), next)).sent).toEqual(['digest:1:2026-11-30T09:00']);
    expect(posts()).toHaveLength(1);
  });

  it('retries a Slack 429 after its Retry-After and posts once', async () => {
    await subscribe({ platform: 'slack', id: 'C1ACME' });
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    expect((await sendDueDigests(deps('a'), MONDAY_9)).sent).toHaveLength(1);
    expect(slack.calls.map((c) => c.method).filter((m) => m.startsWith('chat.postMessage'))).toEqual(['chat.postMessage (failed 429)', 'chat.postMessage']);
  }, 20_000);

  it('splits a 120-item digest into messages within Slack\'s and Teams\' limits, in order', async () => {
    const a = await actor(db, { today: '2026-11-22' });
    for (let i = 1; i <= 120; i++) {
      const day = String(16 + (i % 7)).padStart(2, '0');
      const reply = await a.run(`visit Acme --date 2026-11-${day} --summary "Visit ${String(i).padStart(3, '0')}: ${'notes '.repeat(230)}"`);
      expect(reply.status).toBe('ok');
    }
    await subscribe({ platform: 'slack', id: 'C1ACME' });
    await rememberConversation(db, { platform: 'teams', conversationId: '19:acme@thread.tacv2', kind: 'channel', personId: null, reference: { serviceUrl: `${connector.url}/`, channelId: 'msteams', conversation: { id: '19:acme@thread.tacv2', isGroup: true, conversationType: 'channel' }, bot: { id: '28:mcr-bot', name: 'MCR Bot' } } }, new Date());
    await subscribe({ platform: 'teams', id: '19:acme@thread.tacv2' });
    const report = await sendDueDigests(deps('a'), MONDAY_9);
    expect(report.sent).toHaveLength(2);

    const messages = posts();
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(blocksOf(m).length).toBeLessThanOrEqual(50);
    const slackText = messages.map(textOf).join('\n');
    const order = [...slackText.matchAll(/Visit (\d{3}):/g)].map((m) => m[1]);
    expect(order).toHaveLength(120);
    expect(textOf(messages[0]!)).toMatch(/Weekly digest/);

    const cards = connector.messages.filter((c) => c.conversationId === '19:acme@thread.tacv2');
    expect(cards.length).toBeGreaterThan(1);
    for (const c of cards) expect(Buffer.byteLength(JSON.stringify(c.body), 'utf8')).toBeLessThan(28_000);
    const teamsText = cards.map((c) => JSON.stringify(c.body)).join('');
    expect([...teamsText.matchAll(/Visit (\d{3}):/g)].map((m) => m[1])).toEqual(order);
  }, 60_000);

  it('a brief sent to a person (the morning brief of a planned visit) carries its power map: Teams, the card then the PNG inline', async () => {
    const person = admin.actor;
    const conversationId = 'a:personal-alice';
    await rememberConversation(db, { platform: 'teams', conversationId, kind: 'personal', personId: person.id, reference: { serviceUrl: `${connector.url}/`, channelId: 'msteams', conversation: { id: conversationId, conversationType: 'personal' }, bot: { id: '28:mcr-bot', name: 'MCR Bot' } } }, new Date());
    const reply = await runLine(admin, 'brief Acme');
    expect(reply.image).toBeDefined();
    expect(await deps('a').outbox.teams!.toPerson(person, reply)).toBe(true);
    const [card, picture] = connector.messages.filter((c) => c.conversationId === conversationId).map((c) => c.body as { attachments?: Array<{ contentType: string; contentUrl?: string }> });
    expect(card!.attachments![0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(picture!.attachments![0]!.contentType).toBe('image/png');
    expect(picture!.attachments![0]!.contentUrl).toMatch(/^data:image\/png;base64,iVBOR/);
  });

  it('a split digest that failed part-way goes on from the first message not posted when retried', async () => {
    const a = await actor(db, { today: '2026-11-22' });
    for (let i = 1; i <= 150; i++) {
      const reply = await a.run(`visit Acme --date 2026-11-${String(16 + (i % 7)).padStart(2, '0')} --summary "Visit ${String(i).padStart(3, '0')}: ${'notes '.repeat(230)}"`);
      expect(reply.status).toBe('ok');
    }
    await subscribe({ platform: 'slack', id: 'C1ACME' });
    // The first message goes, the second is refused (no retry: Slack said no, not "later").
    slack.failNext('chat.postMessage', { status: 200, error: 'fatal_error' }, 1);
    expect((await sendDueDigests(deps('a'), MONDAY_9)).failed).toHaveLength(1);
    const first = posts().map(textOf);
    expect(first).toHaveLength(1);
    expect((await sendDueDigests(deps('b'), at(MONDAY_9, 2))).sent).toHaveLength(1);
    const all = posts().map(textOf);
    expect(all.length).toBeGreaterThan(1);
    expect(all[0]).toBe(first[0]);
    // Every visit once across the messages: none of the first message's again.
    const visits = [...all.join('\n').matchAll(/Visit (\d{3}):/g)].map((m) => m[1]);
    expect(visits).toHaveLength(150);
    expect(new Set(visits).size).toBe(150);
  }, 60_000);

  it('renders a Chinese-language subscription in Chinese', async () => {
    await subscribe({ platform: 'slack', id: 'C2HUAXIN' }, '--lang zh-CN');
    await sendDueDigests(deps('a'), MONDAY_9);
    expect(textOf(posts()[0]!)).toMatch(/每周摘要/);
    expect(textOf(posts()[0]!)).toMatch(/本期动态/);
  });

  it('shows a failed send in digest list and retries it with backoff', async () => {
    // The bot was never added to this Teams conversation: the send fails.
    await subscribe({ platform: 'teams', id: '19:unknown@thread.tacv2' });
    expect((await sendDueDigests(deps('a'), MONDAY_9)).failed).toHaveLength(1);
    expect(replyText(await runLine(admin, 'digest list'))).toMatch(/has not been added to Teams conversation/);
    // Not retried before the backoff, retried after it.
    expect((await sendDueDigests(deps('a'), at(MONDAY_9, 0.5))).failed).toHaveLength(0);
    expect((await sendDueDigests(deps('a'), at(MONDAY_9, 2))).failed).toHaveLength(1);
  });

  it('gives the preview JSON the fields of interfaces.md', async () => {
    const reply = await runLine(admin, 'digest preview');
    const data = reply.data as { asOf: string; period: unknown; sections: Record<string, unknown[]> };
    expect(Object.keys(data).sort()).toEqual(['asOf', 'period', 'sections']);
    expect(Object.keys(data.sections).sort()).toEqual(['activities', 'attitudeChanges', 'care', 'gaps', 'meetings', 'openActions', 'overdue', 'reviewsDue']);
    expect(data.sections.openActions).toEqual([expect.objectContaining({ text: 'Send quote', due: '2026-11-19', owner: expect.objectContaining({ name: 'Alice Chen' }) })]);
    expect(reply.visibility).toBe('private');
  });

  it('says "nothing needs attention" in one line when a digest is empty', async () => {
    await runLine(admin, 'account add "Quiet Co" --tier general');
    const reply = await runLine(admin, 'digest preview --accounts "Quiet Co"');
    expect(reply.blocks).toEqual([{ type: 'text', text: 'Nothing needs attention.', tone: 'success' }]);
  });

  it('three instances on one database send one digest a period; kill -9 of the one that claimed, before it sent, and another sends it exactly once', async () => {
    // A daily digest due two minutes ago, subscribed days before.
    const due = new Date(Date.now() - 2 * 60_000);
    const a = await actor(db, { today: new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10) });
    const hhmm = due.toISOString().slice(11, 16);
    expect((await runLine({ ...a.ctx, channel: { platform: 'slack', id: 'C1ACME' } }, `digest subscribe daily ${hhmm} UTC`)).status).toBe('ok');
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: `${slack.url}/api/`, MCR_TIMEZONE: 'Asia/Shanghai', LOG_LEVEL: 'error', MCR_CLAIM_LEASE_SECONDS: '2' };
    const start = () => spawn(process.execPath, [BIN, 'digest', 'run'], { env, stdio: 'ignore' });
    const exited = (child: ReturnType<typeof start>) => new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // The first instance claims the period and is killed while Slack has not answered its post.
    slack.hangNext('chat.postMessage');
    const first = start();
    const firstExit = exited(first);
    await slack.waitFor('chat.postMessage (hung)', 1, 30_000);
    first.kill('SIGKILL');
    await firstExit;
    // Three instances, after the dead one's lease ran out: exactly one sends.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const codes = await Promise.all([start(), start(), start()].map(exited));
    expect(codes).toEqual([0, 0, 0]);
    expect(posts().filter((p) => p.body.channel === 'C1ACME')).toHaveLength(1);
    expect(replyText(await runLine(admin, 'digest list'))).not.toMatch(/never/);
  }, 90_000);

  it('two instances sharing one database (two mcr digest run processes) post once', async () => {
    await subscribe({ platform: 'slack', id: 'C1ACME' });
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: `${slack.url}/api/`, MCR_TIMEZONE: 'Asia/Shanghai', LOG_LEVEL: 'error' };
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'digest', 'run', '--as-of', '2026-11-23', '--json'], { env });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', (code) => resolve({ code, out }));
      });
    const results = await Promise.all([run(), run()]);
    for (const r of results) expect(r.code, r.out).toBe(0);
    expect(posts().filter((p) => p.body.channel === 'C1ACME')).toHaveLength(1);
    // The same run sent Alice's morning reminder, also once.
    expect(posts().filter((p) => p.body.channel === 'U1ALICE')).toHaveLength(1);
  }, 60_000);
});

describe('personal reminders (issue 7)', () => {
  let slack: FakeSlack;
  let db: Db;
  let cleanup: () => Promise<void>;
  let config: Config;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
  });
  afterAll(async () => slack.stop());
  beforeEach(async () => {
    let url: string;
    ({ db, url, cleanup } = await tempDb());
    slack.calls.length = 0;
    config = loadConfig({ DATABASE_URL: url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: `${slack.url}/api/`, MCR_TIMEZONE: 'Asia/Shanghai' });
    const a = await actor(db, { today: '2026-11-20' });
    await a.run('account add "Acme Telecom" --tier strategic');
    await a.run('contact add "Tom Baker" --account Acme --role decision_maker --owner-a alice@example.com --birthday 11-25');
    await a.run('visit Acme --with "Tom Baker" --date 2026-11-18 --next "Send quote; alice@example.com; 2026-11-24"');
    await linkPlatformPerson(db, { platform: 'slack', id: 'U1ALICE', email: 'alice@example.com', name: 'Alice Chen', locale: 'en-US' }, new Date());
  });
  afterEach(async () => cleanup());

  const deps = (): JobDeps => ({ db, config, log: memoryLogger(), commands: commandIndex, outbox: { slack: createSlackPoster(config) }, instance: 'a' });
  /** Tuesday 2026-11-24 09:00 in Shanghai. */
  const TUESDAY_9 = new Date('2026-11-24T01:00:00Z');

  it('sends one direct message a working day, from 09:00, with care, next steps due and contacts going cold', async () => {
    expect((await sendDueReminders(deps(), at(TUESDAY_9, -1))).sent).toEqual([]);
    const report = await sendDueReminders(deps(), TUESDAY_9);
    expect(report.sent).toHaveLength(1);
    await sendDueReminders(deps(), at(TUESDAY_9, 60));
    const dms = slack.of('chat.postMessage');
    expect(dms).toHaveLength(1);
    expect(dms[0]!.body.channel).toBe('U1ALICE');
    const text = textOf(dms[0]!);
    expect(text).toMatch(/birthday of Tom Baker/);
    expect(text).toMatch(/Send quote/);
  });

  it('sends nothing on a weekend, nor to someone who turned reminders off', async () => {
    expect((await sendDueReminders(deps(), new Date('2026-11-28T02:00:00Z'))).sent).toEqual([]);
    const alice = await actor(db, { as: 'alice@example.com', today: '2026-11-23' });
    expect(replyText(await alice.run('remind off'))).toMatch(/off/);
    expect((await sendDueReminders(deps(), TUESDAY_9)).sent).toEqual([]);
    expect(slack.of('chat.postMessage')).toHaveLength(0);
  });
});
