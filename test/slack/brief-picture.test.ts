import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { PICTURES_WAITING_MAX, svgToPng } from '../../src/core/powermap-png.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { FakeSlack, homeButtonPress, sendSigned, SIGNING_SECRET, slashCommand, type SlackCall } from '../helpers/fake-slack.ts';

const FLOW = ['response_url', 'conversations.open', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal', 'chat.postMessage', 'views.publish'];

/**
 * Every `brief` shows the power map in Slack (issue 18 part 1), over signed HTTP against the fake Slack:
 * the text first (Slack's 3-second ack never waits on the picture), then the PNG through the external
 * upload flow, seen only by the asker: private + an ephemeral image block in a channel, into the DM otherwise.
 */
describe('brief with the power map in Slack', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let url: string;
  let config: Config;
  let events = 0;
  const flow = () => fake.calls.map((c) => c.method).filter((m) => FLOW.includes(m));
  /** The uploaded bytes decode as a PNG of the map, and are the length announced. */
  const uploadedPng = () => {
    const [asked] = fake.of('files.getUploadURLExternal');
    const [sent] = fake.of('upload');
    expect(asked!.body.filename).toMatch(/^power-map-\d+\.png$/);
    expect(sent!.body).toMatchObject({ contentType: 'image/png', bytes: Number(asked!.body.length) });
    const png = PNG.sync.read(sent!.body.data as Buffer);
    expect(png.width).toBeGreaterThan(600);
    return sent!.body.file as string;
  };
  const completed = (): SlackCall['body'] & { files: unknown } => {
    const [done] = fake.of('files.completeUploadExternal');
    return { ...done!.body, files: typeof done!.body.files === 'string' ? JSON.parse(done!.body.files) : done!.body.files };
  };

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
  });
  beforeEach(async () => {
    const database = await testDatabase();
    dropDb = database.cleanup;
    fake.calls.length = 0;
    clearProfileCache();
    config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`, MCR_TIMEZONE: 'Asia/Shanghai' });
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    // One at a time, each after its answer, as a person types them: a command runs after its ack,
    // so a contact add sent at once could run before its account is stored (on PostgreSQL it did).
    const setup = ['account add "Acme Telecom" --account-manager alice@example.com', 'contact add "张伟" --account Acme --position S --role decision_maker', 'account add "Empty Corp" --account-manager alice@example.com'];
    for (const [i, line] of setup.entries()) {
      await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', line));
      await fake.waitFor('response_url', i + 1);
    }
    fake.calls.length = 0;
  });
  afterEach(async () => {
    await bot.stop();
    await dropDb();
  });
  afterAll(async () => fake.stop());

  it('/brief in a channel: the text, then a private upload shown in an ephemeral image block (never shared to the channel)', async () => {
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/brief', 'Acme'))).status).toBe(200);
    await fake.waitFor('response_url', 2);
    expect(flow()).toEqual(['response_url', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal', 'response_url']);
    const file = uploadedPng();
    const done = completed();
    expect(done.channel_id).toBeUndefined();
    expect(done.channels).toBeUndefined();
    expect(done.files).toEqual([{ id: file, title: 'Power map — Acme Telecom' }]);
    const [text, picture] = fake.of('response_url');
    expect(String(text!.body.text)).toContain('Acme Telecom');
    expect(JSON.stringify(text!.body.blocks)).toContain('Decision chain');
    expect(picture!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(picture!.body.blocks).toEqual([{ type: 'image', slack_file: { id: file }, alt_text: 'Power map — Acme Telecom', title: { type: 'plain_text', text: 'Power map — Acme Telecom' } }]);
  });

  it('/brief in the DM with the bot: the text, then the upload completed into that DM', async () => {
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/brief', 'Acme', 'U1ALICE', 'D1ALICE'));
    await fake.waitFor('files.completeUploadExternal');
    expect(flow()).toEqual(['response_url', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    uploadedPng();
    expect(completed().channel_id).toBe('D1ALICE');
  });

  it('typed in the Messages tab: the answer, then the picture into that DM', async () => {
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: `EvPic${++events}`, event_time: 1, event: { type: 'message', channel: 'D1ALICE', channel_type: 'im', user: 'U1ALICE', ts: `1700000100.00${events}`, text: 'brief Acme' } });
    expect((await sendSigned(url, SIGNING_SECRET, body, { contentType: 'application/json' })).status).toBe(200);
    await fake.waitFor('files.completeUploadExternal');
    expect(flow()).toEqual(['chat.postMessage', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    uploadedPng();
    expect(completed().channel_id).toBe('D1ALICE');
  });

  it('a brief button on the Home tab (no conversation): the answer as a DM, then the picture into the DM opened with conversations.open', async () => {
    expect((await sendSigned(url, SIGNING_SECRET, homeButtonPress('brief Acme', 'trigger-home'))).status).toBe(200);
    await fake.waitFor('views.publish');
    expect(flow()).toEqual(['chat.postMessage', 'conversations.open', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal', 'views.publish']);
    expect(fake.of('conversations.open')[0]!.body.users).toBe('U1ALICE');
    uploadedPng();
    expect(completed().channel_id).toBe('D1ALICE');
  });

  it('an account with no contacts: the brief alone, nothing uploaded', async () => {
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/brief', 'Empty'));
    await fake.waitFor('response_url');
    await new Promise((r) => setTimeout(r, 300));
    expect(flow()).toEqual(['response_url']);
  });

  it('more pictures waiting than the drawing thread takes: the asker is told, with a button that asks again, and nothing is uploaded', async () => {
    // The line is filled from this process: the bot restarted (same database) with its Slack answers on this thread, whose drawing thread it then shares.
    await bot.stop();
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false, slackThread: false });
    url = `http://127.0.0.1:${bot.port}`;
    // The drawing thread's line filled by large pictures (none of them this brief's).
    const big = (n: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900"><rect width="100%" height="100%" fill="#FFFFFF"/><text x="40" y="300" font-size="90" font-family="Noto Sans SC">filler ${Date.now()} ${n}</text></svg>`;
    // A map no earlier test drew (a drawn one is kept, and would be given at once).
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'contact add "李娜" --account Acme --position A --role influencer'));
    await fake.waitFor('response_url');
    fake.calls.length = 0;
    const fillers = Array.from({ length: PICTURES_WAITING_MAX }, (_, n) => svgToPng(big(n), { scale: 3 }));
    try {
      expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/brief', 'Acme'))).status).toBe(200);
      const [text, notice] = await fake.waitFor('response_url', 2);
      expect(String(text!.body.text)).toContain('Acme Telecom');
      expect(notice!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(JSON.stringify(notice!.body.blocks)).toContain('too many pictures to draw just now');
      const button = JSON.stringify(notice!.body.blocks).match(/"text":"Draw the power map"[^}]*}[^}]*"value":"(map #\d+)"/);
      expect(button?.[1]).toMatch(/^map #\d+$/);
      expect(fake.of('files.getUploadURLExternal')).toEqual([]);
    } finally {
      await Promise.allSettled(fillers);
    }
  }, 60_000);
});
