import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { TEAMS_LIMITS } from '../../src/teams/limits.ts';
import { clearTeamsProfileCache } from '../../src/teams/people.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { FakeConnector, messageActivity, postActivity, type Sender } from '../helpers/fake-connector.ts';

const WANG: Sender = { id: '29:wang', aadObjectId: 'aad-wang', name: '王芳', locale: 'zh-CN' };

/** `map` in Teams (issue 18 part 1): the card, then the picture as an inline PNG within Teams' limits. */
describe('map in Teams', () => {
  let connector: FakeConnector;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let url: string;
  async function say(text: string, replies = 1) {
    const before = connector.messages.length;
    expect((await postActivity(url, messageActivity(connector, WANG, text))).status).toBe(200);
    return (await connector.waitForMessages(before + replies)).slice(before);
  }
  beforeAll(async () => {
    connector = await new FakeConnector().start();
    connector.members.set(WANG.id, { name: '王芳', email: 'wang@example.com', aadObjectId: WANG.aadObjectId });
  });
  afterAll(async () => connector.stop());
  beforeEach(async () => {
    const database = await testDatabase();
    dropDb = database.cleanup;
    clearTeamsProfileCache();
    bot = await startBot({ ...loadConfig({ DATABASE_URL: database.url, TEAMS_ENABLED: 'true', MCR_TIMEZONE: 'Asia/Shanghai' }), port: 0 }, memoryLogger(), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    await say('mcr account add 华信银行 --account-manager wang@example.com');
    await say('mcr contact add 张伟 --account 华信 --position S --role decision_maker');
  });
  afterEach(async () => {
    await bot.stop();
    await dropDb();
  });

  it('sends the card, then the PNG inline as a data URI in a message of its own, under the limit', async () => {
    const [card, picture] = await say('map 华信', 2);
    expect((card!.body.attachments as Array<{ contentType: string }>)[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const attachments = picture!.body.attachments as Array<{ contentType: string; contentUrl: string; name: string }>;
    expect(attachments).toHaveLength(1);
    expect(attachments[0]).toMatchObject({ contentType: 'image/png', name: expect.stringMatching(/\.png$/) });
    const uri = attachments[0]!.contentUrl;
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    expect(uri.length).toBeLessThanOrEqual(TEAMS_LIMITS.inlineImageBytes);
    expect(JSON.stringify(picture!.body).length).toBeLessThan(TEAMS_LIMITS.inlineImageBytes + 2000);
    const png = PNG.sync.read(Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64'));
    expect(png.width).toBeGreaterThan(600);
  });
});
