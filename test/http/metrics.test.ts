import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { clearTeamsProfileCache } from '../../src/teams/people.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { FakeConnector, messageActivity, postActivity, type Sender } from '../helpers/fake-connector.ts';
import { FakeSlack, interaction, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';
import { parseMetrics, sampleValue } from '../helpers/prometheus.ts';

const TOKEN = 'metrics-token-0123456789';
const ALICE: Sender = { id: '29:alice', aadObjectId: 'aad-alice', name: 'Alice Chen' };

type Block = { type: string; block_id?: string; label?: { text: string }; element?: { type: string; action_id: string; initial_option?: { value: string } } };
type View = { blocks: Block[]; private_metadata: string; callback_id: string };

/** A modal's inputs filled by label, in Slack's `view.state.values` shape (text inputs, selects, dates). */
function fill(view: View, answers: Record<string, string>): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [label, answer] of Object.entries(answers)) {
    const block = view.blocks.find((b) => b.type === 'input' && b.label?.text === label)!;
    const { type, action_id } = block.element!;
    const state = type.endsWith('_select') ? { selected_option: { value: answer } } : type === 'datepicker' ? { selected_date: answer } : { value: answer };
    values[block.block_id!] = { [action_id]: { type, ...state } };
  }
  return values;
}

describe('GET /metrics (issue 17)', () => {
  let slack: FakeSlack;
  let connector: FakeConnector;
  let bot: RunningBot;
  let url: string;
  let dropDb: () => Promise<void>;

  const scrape = async (token = TOKEN) => {
    const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };
  const slash = async (command: string, text: string) => {
    const before = slack.of('response_url').length + slack.of('views.open').length;
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(slack, command, text))).status).toBe(200);
    // The app answers after its ack: a response_url post, or a modal.
    for (let waited = 0; slack.of('response_url').length + slack.of('views.open').length === before; waited += 20) {
      if (waited > 10_000) throw new Error(`no answer to ${command} ${text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    slack.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
    connector = await new FakeConnector().start();
    connector.members.set(ALICE.id, { name: 'Alice Chen', email: 'alice@example.com', aadObjectId: ALICE.aadObjectId });
    clearProfileCache();
    clearTeamsProfileCache();
    const database = await testDatabase();
    dropDb = database.cleanup;
    const config = loadConfig({
      DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`,
      TEAMS_ENABLED: 'true', METRICS_TOKEN: TOKEN,
    });
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    await slash('/mcr', 'account add "Acme Telecom" --tier strategic');
  });
  afterAll(async () => {
    await bot.stop();
    await dropDb();
    await slack.stop();
    await connector.stop();
  });

  it('answers only with the bearer token: none or a wrong one is 401 with WWW-Authenticate, and reads nothing', async () => {
    const tries: Array<Record<string, string>> = [{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }, { authorization: TOKEN }];
    for (const headers of tries) {
      const response = await fetch(`${url}/metrics`, { headers });
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.text()).not.toMatch(/mcr_/);
    }
    expect((await fetch(`${url}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
  });

  it('counts a signed Slack command by channel and command, with its latency histogram; typed words never become labels', async () => {
    const labels = { channel: 'slack', command: 'tier', outcome: 'ok' };
    const before = await scrape();
    await slash('/tier', 'Acme');
    const after = await scrape();
    expect(sampleValue(after, 'mcr_requests_total', labels)).toBe(sampleValue(before, 'mcr_requests_total', labels) + 1);
    const count = (text: string) => sampleValue(text, 'mcr_request_duration_seconds_count', { channel: 'slack', command: 'tier' });
    expect(count(after)).toBe(count(before) + 1);
    const buckets = parseMetrics(after).filter((s) => s.name === 'mcr_request_duration_seconds_bucket' && s.labels.command === 'tier');
    expect(buckets.map((b) => b.labels.le)).toContain('+Inf');
    expect(buckets.find((b) => b.labels.le === '+Inf')!.value).toBe(count(after));

    // An unknown command counts as "unknown"; what was typed is nowhere in the metrics.
    await slash('/mcr', 'frobnicate Tom Baker');
    const unknown = await scrape();
    expect(sampleValue(unknown, 'mcr_requests_total', { channel: 'slack', command: 'unknown', outcome: 'invalid' })).toBe(1);
    expect(unknown).not.toMatch(/frobnicate|Baker|Acme/);
  });

  it('counts a Teams message under channel="teams"', async () => {
    const labels = { channel: 'teams', command: 'tier', outcome: 'ok' };
    const before = sampleValue(await scrape(), 'mcr_requests_total', labels);
    const sent = connector.messages.length;
    expect((await postActivity(url, messageActivity(connector, ALICE, 'tier Acme'))).status).toBe(200);
    await connector.waitForMessages(sent + 1);
    expect(sampleValue(await scrape(), 'mcr_requests_total', labels)).toBe(before + 1);
  });

  it('counts form submissions by outcome: invalid, ok, and the double-clicked duplicate', async () => {
    await slash('/visit', 'Acme');
    const view = slack.of('views.open').at(-1)!.body.view as View;
    const account = view.blocks.find((b) => b.label?.text === 'Account')!.element!.initial_option!.value;
    const submit = (id: string, answers: Record<string, string>) =>
      sendSigned(url, SIGNING_SECRET, interaction({ type: 'view_submission', user: { id: 'U1ALICE' }, view: { ...view, id, hash: 'h1', state: { values: fill(view, answers) } } }));
    const form = (text: string, outcome: string) => sampleValue(text, 'mcr_form_submissions_total', { channel: 'slack', form: 'visit', outcome });

    const invalid = await submit('V-bad', { Account: account, Date: '2026-02-30', Type: 'exchange', Summary: 'Pricing review' });
    expect(invalid.json).toMatchObject({ response_action: 'errors' });
    let text = await scrape();
    expect(form(text, 'invalid')).toBe(1);
    expect(form(text, 'ok')).toBe(0);

    const good = { Account: account, Date: '2026-11-20', Type: 'exchange', Summary: 'Pricing review' };
    expect((await submit('V-good', good)).status).toBe(200);
    await slack.waitFor('chat.postEphemeral');
    // Submitted twice (a double click, a retry): answered from the first, written once.
    expect((await submit('V-good', good)).status).toBe(200);
    text = await scrape();
    expect(form(text, 'ok')).toBe(1);
    expect(form(text, 'duplicate')).toBe(1);
    // A form is a request of its command as well.
    expect(sampleValue(text, 'mcr_requests_total', { channel: 'slack', command: 'visit', outcome: 'duplicate' })).toBe(1);
    expect(text).not.toMatch(/Pricing/);
  });

  it('reports the database pool and the process', async () => {
    const text = await scrape();
    const engine = parseMetrics(text).find((s) => s.name === 'mcr_db_pool_open_connections')!.labels.engine;
    expect(['sqlite', 'postgres']).toContain(engine);
    // This thread's pool and Slack's answers thread's, each with its own connections.
    for (const thread of ['main', 'slack-1']) expect(sampleValue(text, 'mcr_db_pool_max_connections', { engine, thread })).toBe(engine === 'sqlite' ? 1 : 10);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
    expect(text).toMatch(/^# TYPE mcr_import_rows_total counter$/m);
    expect(sampleValue(text, 'mcr_deliveries_total', { kind: 'digest', outcome: 'sent' })).toBe(0);
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  it('does not exist: 404 with or without a token', async () => {
    const database = await testDatabase();
    const config = loadConfig({ DATABASE_URL: database.url, TEAMS_ENABLED: 'true' });
    const bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    try {
      for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }] as Array<Record<string, string>>) {
        const response = await fetch(`http://127.0.0.1:${bot.port}/metrics`, { headers });
        expect(response.status).toBe(404);
        expect(await response.text()).not.toMatch(/mcr_|process_/);
      }
    } finally {
      await bot.stop();
      await database.cleanup();
    }
  });
});
