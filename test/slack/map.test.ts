import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { FakeSlack, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';

/** `map` in Slack (issue 18 part 1): the picture goes through Slack's external upload flow, over signed HTTP against the fake Slack. */
describe('map in Slack', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
  });
  beforeEach(async () => {
    const database = await testDatabase();
    dropDb = database.cleanup;
    fake.calls.length = 0;
    clearProfileCache();
    const config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`, MCR_TIMEZONE: 'Asia/Shanghai' });
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    // One after the other: the contact names the account (two commands at once may interleave after their acks).
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Acme Telecom" --account-manager alice@example.com'));
    await fake.waitFor('response_url', 1);
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'contact add "张伟" --account Acme --position S --role decision_maker'));
    await fake.waitFor('response_url', 2);
    fake.calls.length = 0;
  });
  afterEach(async () => {
    await bot.stop();
    await dropDb();
  });
  afterAll(async () => fake.stop());

  it('answers, then uploads the PNG: get URL → POST the bytes to it → complete, private, shown to the asker in an ephemeral image block', async () => {
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'map Acme'))).status).toBe(200);
    await fake.waitFor('response_url', 2);
    const flow = fake.calls.map((c) => c.method).filter((m) => ['response_url', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal'].includes(m));
    expect(flow).toEqual(['response_url', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal', 'response_url']);
    const [asked] = fake.of('files.getUploadURLExternal');
    const [sent] = fake.of('upload');
    const [done] = fake.of('files.completeUploadExternal');
    expect(asked!.body).toMatchObject({ filename: expect.stringMatching(/\.png$/) });
    // The bytes announced are the bytes sent, a PNG.
    expect(sent!.body).toMatchObject({ contentType: 'image/png', bytes: Number(asked!.body.length) });
    expect(Number(asked!.body.length)).toBeGreaterThan(5000);
    const files = typeof done!.body.files === 'string' ? JSON.parse(done!.body.files) : done!.body.files;
    // Real people's names and attitudes: never shared into the channel (issue 18 part 1, privacy).
    expect(done!.body.channel_id).toBeUndefined();
    expect(files).toEqual([{ id: sent!.body.file, title: 'Power map — Acme Telecom' }]);
    expect(fake.of('response_url')[1]!.body.blocks).toMatchObject([{ type: 'image', slack_file: { id: sent!.body.file } }]);
  });
});
