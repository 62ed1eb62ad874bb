import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { AnswersRouter, threadOf } from '../../src/slack/answers-thread.ts';
import { memoryLogger } from '../helpers/context.ts';
import { TEST_ENGINE, testDatabase } from '../helpers/engine.ts';
import { FakeSlack, interaction, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';
import { holdInsert } from '../helpers/process.ts';
import { sampleValue } from '../helpers/prometheus.ts';

const TOKEN = 'metrics-token-0123456789';

const textOf = (body: Record<string, unknown>) => `${String(body.text ?? '')}\n${JSON.stringify(body.blocks ?? '')}`;

/** Metrics as a scraper sees them. */
const scrape = async (url: string) => (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();

/**
 * The real bot with Slack's answers on `threads` threads, its /metrics on, and these people
 * known (their records written) before a test takes the database's write lock.
 */
async function startThreadedBot(threads: number, users: Record<string, string>, log = memoryLogger()) {
  const fake = await new FakeSlack().start();
  for (const [id, name] of Object.entries(users)) fake.users.set(id, { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` });
  const database = await testDatabase();
  const config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`, METRICS_TOKEN: TOKEN, SLACK_ANSWER_THREADS: String(threads) });
  const bot = await startBot({ ...config, port: 0 }, log, { scheduler: false });
  const url = `http://127.0.0.1:${bot.port}`;
  // The other threads start once the first is up (the bot is ready then): until they are, the first takes everyone.
  for (const until = Date.now() + 20_000; !new RegExp(`thread="slack-${threads}"`).test(await scrape(url)); ) {
    if (Date.now() > until) throw new Error(`answers thread ${threads} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const user of Object.keys(users)) {
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'help', user));
    await fake.waitFor('response_url');
    fake.calls.length = 0;
  }
  return {
    fake,
    url,
    databaseUrl: database.url,
    stop: async () => {
      await bot.stop();
      await fake.stop();
      await database.cleanup();
    },
  };
}

/**
 * Slack's answers on a thread of their own (issue 19 part 2): the thread that reads and acks
 * requests does none of their work. On SQLite a writer waiting for the write lock blocks its
 * thread (better-sqlite3 is synchronous, the busy timeout a sleep), which makes the answers
 * thread visibly busy: another process holds the lock while a command's work waits for it.
 * (PostgreSQL's waits block no thread.)
 */
describe.skipIf(TEST_ENGINE === 'postgres')('Slack: requests are acked while the answers thread is busy (one answers thread)', () => {
  let fake: FakeSlack;
  let url: string;
  let databaseUrl: string;
  let stop: () => Promise<void>;
  const log = memoryLogger();

  beforeAll(async () => {
    ({ fake, url, databaseUrl, stop } = await startThreadedBot(1, { U1ALICE: 'Alice Chen', U2BOB: 'Bob Li' }, log));
  });
  afterAll(() => stop());

  it("a command whose work waits for the database does not hold another person's ack; both are answered once the lock is free", async () => {
    const holder = await holdInsert(databaseUrl, 'Held Corp', 3_000);
    // Alice's account add waits for the write lock on the answers thread, which sleeps in SQLite's busy timeout.
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Gamma Corp" --tier partner', 'U1ALICE'))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Bob's command is acked by the thread that reads requests, before the lock is let go.
    const first = await Promise.race([
      sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'help', 'U2BOB')).then((response) => `acked ${response.status}`),
      holder.done.then(() => 'lock released'),
    ]);
    expect(first).toBe('acked 200');
    // /metrics still answers: the busy thread's pool is left out of the scrape, not waited for.
    const busy = await scrape(url);
    expect(sampleValue(busy, 'mcr_db_pool_open_connections', { thread: 'main' })).toBe(1);
    expect(busy).not.toMatch(/thread="slack-1"/);
    expect(await holder.done).toContain('committed');
    expect(sampleValue(await scrape(url), 'mcr_db_pool_open_connections', { thread: 'slack-1' })).toBe(1);
    const answers = (await fake.waitFor('response_url', 2)).map((call) => textOf(call.body));
    expect(answers.some((text) => text.includes('Gamma Corp') && !/temporarily unavailable/i.test(text))).toBe(true);
  }, 30_000);

  it("a form's ack counts Slack's 3 s from the request's arrival, not from when the busy answers thread took it up", async () => {
    fake.users.set('U3CAROL', { name: 'Carol Wu', email: 'carol@example.com' });
    const holder = await holdInsert(databaseUrl, 'Held Three', 2_000);
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Epsilon Corp" --tier partner', 'U1ALICE'))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Carol's submission waits ~1.7 s for the thread, then her profile lookup is slow: counted
    // from the listener's start, the ack would go at ~4.2 s, after Bolt's own 404 at 3 s.
    fake.delayNext('users.info', 4_000);
    const submission = interaction({ type: 'view_submission', team: { id: 'T1' }, user: { id: 'U3CAROL' }, api_app_id: 'A1', view: { id: 'VBUDGET', hash: 'h', callback_id: 'mcr_form', private_metadata: 'not ours', blocks: [], state: { values: {} } } });
    const sentAt = Date.now();
    const response = await sendSigned(url, SIGNING_SECRET, submission);
    expect(response.status).toBe(200);
    expect(Date.now() - sentAt).toBeLessThan(3_000);
    await holder.done;
    // Its answer follows as a message.
    await expect.poll(() => log.lines.some((line) => line.msg === 'view submission answered after its ack'), { timeout: 10_000 }).toBe(true);
  }, 30_000);

  it("a form's answer that comes after Slack's 3 s (the thread busy before it began) is dropped with a warning; the bot goes on", async () => {
    const holder = await holdInsert(databaseUrl, 'Held Two', 4_500);
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Delta Corp" --tier partner', 'U1ALICE'))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The thread sleeps in SQLite's busy timeout: Bolt answers the form itself after 3 s (404), and the thread's ack comes later.
    const late = interaction({ type: 'view_submission', team: { id: 'T1' }, user: { id: 'U2BOB' }, api_app_id: 'A1', view: { id: 'VLATE', hash: 'h', callback_id: 'mcr_form', private_metadata: 'not ours', blocks: [], state: { values: {} } } });
    expect((await sendSigned(url, SIGNING_SECRET, late)).status).toBe(404);
    await holder.done;
    await expect.poll(() => log.lines.some((line) => line.msg === 'slack ack came after the request was answered'), { timeout: 10_000 }).toBe(true);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    fake.calls.length = 0;
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'help', 'U2BOB'))).status).toBe(200);
    await fake.waitFor('response_url');
  }, 30_000);
});

describe.skipIf(TEST_ENGINE === 'postgres')('Slack: two answers threads (SLACK_ANSWER_THREADS=2)', () => {
  let fake: FakeSlack;
  let url: string;
  let databaseUrl: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ fake, url, databaseUrl, stop } = await startThreadedBot(2, { U1ALICE: 'Alice Chen', U3CAROL: 'Carol Wu' }));
  });
  afterAll(() => stop());

  it('each person has a thread of their own; one blocked does not hold the answers of people on the other', () => {
    expect(threadOf('T1:U1ALICE', 1, 2)).toBe(threadOf('T1:U1ALICE', 2, 2));
    // The two people of this test are on different threads.
    expect(threadOf('T1:U1ALICE', 1, 2)).not.toBe(threadOf('T1:U3CAROL', 1, 2));
    // A hundred people spread over both.
    const counts = [0, 0];
    for (let i = 0; i < 100; i++) counts[threadOf(`T1:U${i}`, i, 2)]!++;
    expect(Math.min(...counts)).toBeGreaterThan(25);
  });

  it("Carol's command is answered while Alice's thread waits for the database", async () => {
    const holder = await holdInsert(databaseUrl, 'Held Four', 3_000);
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Zeta Corp" --tier partner', 'U1ALICE'))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'help', 'U3CAROL'))).status).toBe(200);
    // Her answer (not only her ack) comes before the lock is let go: her thread is not Alice's.
    const first = await Promise.race([fake.waitFor('response_url').then(() => 'answered'), holder.done.then(() => 'lock released')]);
    expect(first).toBe('answered');
    expect(sampleValue(await scrape(url), 'mcr_db_pool_open_connections', { thread: `slack-${threadOf('T1:U3CAROL', 1, 2) + 1}` })).toBe(1);
    await holder.done;
    const answers = (await fake.waitFor('response_url', 2)).map((call) => textOf(call.body));
    expect(answers.some((text) => text.includes('Zeta Corp'))).toBe(true);
  }, 30_000);
});

describe('AnswersRouter: which answers thread takes a request', () => {
  const ALICE = 'T1:U1ALICE';
  const CAROL = 'T1:U3CAROL';
  const own = (person: string) => threadOf(person, 0, 2);

  it("sends a person to their own thread, or while it is not up to the next one; and keeps them where their requests still are until all are answered", () => {
    const up = [true, false];
    const router = new AnswersRouter(2, (index) => up[index]!);
    // Carol's own thread (the second) is starting: the first takes her.
    expect(own(CAROL)).toBe(1);
    expect(router.take(1, CAROL)).toBe(0);
    up[1] = true;
    // Still there while her first request is being answered: her second must not overtake it.
    expect(router.take(2, CAROL)).toBe(0);
    router.done(1);
    expect(router.take(3, CAROL)).toBe(0);
    router.done(2);
    router.done(3);
    // All answered: her own thread from now on.
    expect(router.take(4, CAROL)).toBe(1);
    expect(router.take(5, ALICE)).toBe(own(ALICE));
  });

  it('lets go of the people of a thread that stopped; with no thread up, the first (which takes it once up)', () => {
    const up = [true, true];
    const router = new AnswersRouter(2, (index) => up[index]!);
    expect(router.take(1, CAROL)).toBe(1);
    up[1] = false;
    router.lost(1);
    expect(router.take(2, CAROL)).toBe(0);
    up[0] = false;
    expect(router.take(3, ALICE)).toBe(0);
    router.done(3);
    // Requests without a sender go round the threads that are up.
    up[0] = up[1] = true;
    expect([router.take(4, undefined), router.take(5, undefined)].sort()).toEqual([0, 1]);
  });
});
