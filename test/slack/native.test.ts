import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { FakeSlack, interaction, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';

type Block = { type: string; block_id?: string; label?: { text: string }; element?: Record<string, unknown>; elements?: Array<Record<string, unknown>> };

/** Issue 18 part 4: the Messages tab, the message shortcut and the `/mcr` menu, over signed HTTP against the fake Slack. */
describe('Slack native: messages tab, shortcut, menu', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let url: string;
  let eventCount = 0;

  /** A `message` event as Slack posts it (JSON), optionally as Slack's retry. */
  const message = (event: Record<string, unknown>, retry?: number) =>
    sendSigned(
      url,
      SIGNING_SECRET,
      JSON.stringify({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: `Ev${++eventCount}`, event_time: 1, event: { type: 'message', channel: 'D1ALICE', channel_type: 'im', user: 'U1ALICE', ts: `1700000000.00${eventCount}`, ...event } }),
      { contentType: 'application/json', headers: retry ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } : {} },
    );
  const settle = () => new Promise((r) => setTimeout(r, 300));

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
    fake.users.set('U3WANG', { name: '王芳', email: 'wang@example.com', locale: 'zh-CN' });
  });
  beforeEach(async () => {
    const database = await testDatabase();
    dropDb = database.cleanup;
    fake.calls.length = 0;
    clearProfileCache();
    const config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`, MCR_TIMEZONE: 'Asia/Shanghai' });
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Acme Telecom" --account-manager alice@example.com'));
    await fake.waitFor('response_url');
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'contact add "Tom Baker" --account Acme --role decision_maker'));
    await fake.waitFor('response_url', 2);
    fake.calls.length = 0;
  });
  afterEach(async () => {
    await bot.stop();
    await dropDb();
  });
  afterAll(async () => fake.stop());

  it('answers a command typed in a DM in that DM, once however often Slack retries it', async () => {
    const ts = '1700000001.000100';
    expect((await message({ text: 'brief Acme', ts })).status).toBe(200);
    const [post] = await fake.waitFor('chat.postMessage');
    expect(post!.body.channel).toBe('D1ALICE');
    const blocks = JSON.stringify(post!.body.blocks);
    expect(blocks).toContain('Acme Telecom');
    expect(blocks).toContain('Tom Baker');
    expect((await message({ text: 'brief Acme', ts }, 1)).status).toBe(200);
    await settle();
    expect(fake.of('chat.postMessage')).toHaveLength(1);
  });

  it('answers in the user\'s language, and hints how to ask when the message is not a command', async () => {
    await message({ text: 'hello there' });
    const [post] = await fake.waitFor('chat.postMessage');
    expect(post!.body.text).toContain('`help`');
    await message({ user: 'U3WANG', channel: 'D3WANG', text: '你好' });
    const [, zh] = await fake.waitFor('chat.postMessage', 2);
    expect(zh!.body.channel).toBe('D3WANG');
    expect(zh!.body.text).toContain('输入 `help` 查看全部命令。');
  });

  it('ignores the bot\'s own messages, edits, and messages outside a DM', async () => {
    await message({ text: 'brief Acme', bot_id: 'BBOT', user: 'UBOT' });
    await message({ text: 'brief Acme', subtype: 'message_changed' });
    await message({ text: 'brief Acme', channel: 'C1ACME', channel_type: 'channel' });
    await message({ text: 'help' });
    await fake.waitFor('chat.postMessage');
    await settle();
    const posts = fake.of('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.text).not.toContain('Tom Baker');
  });

  it('offers a button that opens the form when a DM command needs one, and the button opens it', async () => {
    await message({ text: 'visit Acme' });
    const [post] = await fake.waitFor('chat.postMessage');
    const button = (post!.body.blocks as Block[]).flatMap((b) => b.elements ?? []).find((e) => e.type === 'button')!;
    expect(button.value).toBe('visit Acme');
    await sendSigned(url, SIGNING_SECRET, interaction({ type: 'block_actions', user: { id: 'U1ALICE' }, trigger_id: 'trigger-dm', channel: { id: 'D1ALICE' }, actions: [{ type: 'button', action_id: button.action_id, value: button.value }] }));
    const [open] = await fake.waitFor('views.open');
    expect(open!.body.trigger_id).toBe('trigger-dm');
    expect(JSON.stringify(open!.body.view)).toContain('Acme Telecom');
  });

  it('the message shortcut opens the visit form with the message as its summary', async () => {
    const text = 'Met Tom: pricing & the Q3 rollout';
    const response = await sendSigned(url, SIGNING_SECRET, interaction({
      type: 'message_action', callback_id: 'log_visit_from_message', trigger_id: 'trigger-shortcut', user: { id: 'U1ALICE' },
      channel: { id: 'C1ACME', name: 'acme' }, message: { type: 'message', user: 'U2BOB', ts: '1700000002.000100', text: 'Met Tom: pricing &amp; the Q3 rollout' },
      team: { id: 'T1' }, response_url: `${fake.url}/response/shortcut`, message_ts: '1700000002.000100',
    }));
    expect(response.status).toBe(200);
    const [open] = await fake.waitFor('views.open');
    expect(open!.body.trigger_id).toBe('trigger-shortcut');
    const view = open!.body.view as { blocks: Block[] };
    const summary = view.blocks.find((b) => b.type === 'input' && b.label?.text === 'Summary')!;
    expect(summary.element!.initial_value).toBe(text);
  });

  it('the shortcut chooses the account when the channel\'s digest covers that one account only', async () => {
    const shortcut = (channel: string, trigger: string) => sendSigned(url, SIGNING_SECRET, interaction({
      type: 'message_action', callback_id: 'log_visit_from_message', trigger_id: trigger, user: { id: 'U1ALICE' },
      channel: { id: channel, name: channel }, message: { type: 'message', user: 'U2BOB', ts: '1700000003.000100', text: 'Renewal call' },
      team: { id: 'T1' }, response_url: `${fake.url}/response/shortcut`, message_ts: '1700000003.000100',
    }));
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Beta Bank" --account-manager alice@example.com'));
    await fake.waitFor('response_url');
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'digest subscribe weekly --accounts "Acme Telecom"', 'U1ALICE', 'C1ACME'));
    await fake.waitFor('response_url', 2);
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'digest subscribe weekly --accounts "Acme Telecom, Beta Bank"', 'U1ALICE', 'C2BOTH'));
    await fake.waitFor('response_url', 3);
    fake.calls.length = 0;
    const accountOf = (view: { blocks: Block[] }) => view.blocks.find((b) => b.type === 'input' && b.label?.text === 'Account')!.element!.initial_option as { text: { text: string } } | undefined;

    await shortcut('C1ACME', 'trigger-one');
    const [one] = await fake.waitFor('views.open');
    expect(accountOf(one!.body.view as { blocks: Block[] })?.text.text).toContain('Acme Telecom');
    await shortcut('C2BOTH', 'trigger-two');
    const [, two] = await fake.waitFor('views.open', 2);
    expect(accountOf(two!.body.view as { blocks: Block[] })).toBeUndefined();
  });

  it('/mcr alone shows the menu of common actions; its buttons run them; /mcr help stays help', async () => {
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', ''));
    const [menu] = await fake.waitFor('response_url');
    const buttons = (menu!.body.blocks as Block[]).flatMap((b) => b.elements ?? []).filter((e) => e.type === 'button');
    expect(buttons.map((b) => (b.text as { text: string }).text)).toEqual(['Log a visit', 'Brief', 'Rate', 'Tier', 'Home', 'Help']);
    const visit = buttons[0]!;
    await sendSigned(url, SIGNING_SECRET, interaction({ type: 'block_actions', user: { id: 'U1ALICE' }, trigger_id: 'trigger-menu', channel: { id: 'C1ACME' }, response_url: `${fake.url}/response/menu`, actions: [{ type: 'button', action_id: visit.action_id, value: visit.value }] }));
    const [open] = await fake.waitFor('views.open');
    expect(open!.body.trigger_id).toBe('trigger-menu');
    expect((open!.body.view as { title: { text: string } }).title.text).toMatch(/visit/i);

    fake.calls.length = 0;
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'help'));
    const [help] = await fake.waitFor('response_url');
    expect(JSON.stringify(help!.body.blocks)).not.toContain('"Log a visit"');
    expect(JSON.stringify(help!.body.blocks)).toContain('brief');
  });
});
