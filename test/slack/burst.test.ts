import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.ts';
import { testDatabase } from '../helpers/engine.ts';
import { FakeSlack, interaction, sendSigned, SIGNING_SECRET } from '../helpers/fake-slack.ts';
import { runMcr } from '../helpers/process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SUBMISSIONS = 1_000;
const KILL_AFTER = 300;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A visit modal submitted as Slack posts it: one contact, one next step, a summary that names it. */
function visitSubmission(n: number): string {
  const input = (type: string, value: Record<string, unknown>) => ({ value: { type, ...value } });
  return interaction({
    type: 'view_submission',
    user: { id: 'U1ALICE' },
    view: {
      id: `VBURST${n}`,
      hash: 'h',
      callback_id: 'mcr_form',
      private_metadata: JSON.stringify({ f: 'visit', c: {}, r: { next_steps: 1 }, ch: 'C1ACME' }),
      blocks: [],
      state: {
        values: {
          account: { 'lookup:account': { type: 'external_select', selected_option: { value: '#1' } } },
          type: input('static_select', { selected_option: { value: 'visit' } }),
          contacts: { 'lookup:contact:account': { type: 'multi_external_select', selected_options: [{ value: '#1' }] } },
          summary: input('plain_text_input', { value: `burst-${n}` }),
          'next_steps.0.text': input('plain_text_input', { value: `step-${n}` }),
        },
      },
    },
  });
}

describe('several bot processes and kill -9 (issue 8)', () => {
  let fake: FakeSlack;
  let database: Awaited<ReturnType<typeof testDatabase>>;

  /** `npm start` as its own process on a free port (scheduler included), ready when /readyz says so (a load balancer's signal: Slack's answers thread up and warm). */
  async function startBotProcess() {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`, LOG_LEVEL: 'error' },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const up = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
      if (up) break;
      if (i > 200) throw new Error('the bot did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    return { process: child, url, exited };
  }
  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
    database = await testDatabase();
    for (const line of [['account', 'add', 'Acme Telecom', '--tier', 'strategic'], ['contact', 'add', 'Tom Baker', '--account', 'Acme', '--role', 'decision_maker']]) {
      expect((await runMcr(line, { DATABASE_URL: database.url })).code).toBe(0);
    }
  });
  afterAll(async () => {
    await fake.stop();
    await database.cleanup();
  });

  it('two bot instances on one database: the same submission sent to both, and retried, writes once', async () => {
    const bots = await Promise.all([startBotProcess(), startBotProcess()]);
    try {
      // Warm each process first (its first request loads and compiles the rest of the app).
      for (const [i, bot] of bots.entries()) expect((await sendSigned(bot.url, SIGNING_SECRET, visitSubmission(6_000 + i))).status).toBe(200);
      const body = visitSubmission(5_000);
      const responses = await Promise.all([...bots, ...bots].map((bot) => sendSigned(bot.url, SIGNING_SECRET, body)));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const db = createDb(database.url);
      try {
        expect(await db.selectFrom('activities').select('summary').where('summary', '=', 'burst-5000').execute()).toHaveLength(1);
        expect(await db.selectFrom('next_steps').select('text').where('text', '=', 'step-5000').execute()).toHaveLength(1);
      } finally {
        await db.destroy();
      }
    } finally {
      for (const bot of bots) bot.process.kill('SIGTERM');
      await Promise.all(bots.map((bot) => bot.exited));
    }
  }, 60_000);

  it('loses no visit that got a 200 and leaves no visit without its contacts or next steps', async () => {
    const { process: bot, url, exited } = await startBotProcess();

    const acked: number[] = [];
    let next = 1;
    let killed = false;
    const worker = async () => {
      while (next <= SUBMISSIONS && !killed) {
        const n = next++;
        const response = await sendSigned(url, SIGNING_SECRET, visitSubmission(n)).catch(() => undefined);
        if (response?.status === 200 && response.text === '') acked.push(n);
        if (acked.length >= KILL_AFTER && !killed) {
          killed = true;
          bot.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await exited;
    expect(killed).toBe(true);
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(next).toBeLessThan(SUBMISSIONS);

    const db = createDb(database.url);
    try {
      const activities = await db.selectFrom('activities').select(['id', 'summary']).execute();
      const stored = new Set(activities.map((a) => a.summary));
      expect(acked.filter((n) => !stored.has(`burst-${n}`))).toEqual([]);
      // Nothing half-written: every activity has its contact and its next step.
      const contacts = await db.selectFrom('activity_contacts').select('activity_id').execute();
      const steps = await db.selectFrom('next_steps').select(['activity_id', 'text']).execute();
      const withContact = new Set(contacts.map((c) => c.activity_id));
      const withStep = new Set(steps.map((s) => s.activity_id));
      expect(activities.filter((a) => !withContact.has(a.id) || !withStep.has(a.id))).toEqual([]);
      // And each submission once, however often it was retried.
      expect(activities.length).toBe(stored.size);
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
