import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { PICTURES_WAITING_MAX, svgToPng } from '../../src/core/powermap-png.ts';
import { TEAMS_LIMITS } from '../../src/teams/limits.ts';
import { clearTeamsProfileCache } from '../../src/teams/people.ts';
import { imageMessage } from '../../src/teams/reply.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { FakeConnector, messageActivity, postActivity, type Sender } from '../helpers/fake-connector.ts';

const WANG: Sender = { id: '29:wang', aadObjectId: 'aad-wang', name: '王芳', locale: 'zh-CN' };

/** Every `brief` shows the power map in Teams (issue 18 part 1): the card, then the picture inline within Teams' limits. */
describe('brief with the power map in Teams', () => {
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
    await say('mcr account add 空公司 --account-manager wang@example.com');
  });
  afterEach(async () => {
    await bot.stop();
    await dropDb();
  });

  it('sends the brief card, then the PNG inline: data URI within our ceiling, the rest of the message within the 80 KB Teams advises', async () => {
    const [card, picture] = await say('brief 华信', 2);
    expect((card!.body.attachments as Array<{ contentType: string }>)[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const attachments = picture!.body.attachments as Array<{ contentType: string; contentUrl: string; name: string }>;
    expect(attachments).toHaveLength(1);
    expect(attachments[0]).toMatchObject({ contentType: 'image/png', name: expect.stringMatching(/^power-map-\d+\.png$/) });
    const uri = attachments[0]!.contentUrl;
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    expect(uri.length).toBeLessThanOrEqual(TEAMS_LIMITS.inlineImageBytes);
    // Teams counts the message as UTF-16 without its base64 image (learn.microsoft.com, "Format your bot messages").
    expect(JSON.stringify({ ...picture!.body, attachments: [{ ...attachments[0], contentUrl: '' }] }).length * 2).toBeLessThanOrEqual(TEAMS_LIMITS.messageBytes);
    const png = PNG.sync.read(Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64'));
    expect(png.width).toBeGreaterThan(600);
  });

  it('more pictures waiting than the drawing thread takes: a card says so, in the asker\'s language, with a button that asks again', async () => {
    // A map no earlier test drew (a drawn one is kept, and would be given at once).
    await say('mcr contact add 李娜 --account 华信 --position A --role influencer');
    const big = (n: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900"><rect width="100%" height="100%" fill="#FFFFFF"/><text x="40" y="300" font-size="90" font-family="Noto Sans SC">filler ${Date.now()} ${n}</text></svg>`;
    const fillers = Array.from({ length: PICTURES_WAITING_MAX }, (_, n) => svgToPng(big(n), { scale: 3 }));
    try {
      const [, notice] = await say('brief 华信', 2);
      const card = JSON.stringify(notice!.body.attachments);
      expect(card).toContain('此刻要画的图太多');
      expect(card).toMatch(/生成权力地图/);
      expect(card).toMatch(/map #\d+/);
      expect(card).not.toContain('image/png');
    } finally {
      await Promise.allSettled(fillers);
    }
  }, 60_000);

  it('an account with no contacts: the card alone', async () => {
    const [card] = await say('brief 空公司');
    expect((card!.body.attachments as Array<{ contentType: string }>)[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    await new Promise((r) => setTimeout(r, 300));
    expect(connector.messages.at(-1)).toBe(card);
  });
});

describe('imageMessage', () => {
  const big = Buffer.alloc(Math.ceil(TEAMS_LIMITS.inlineImageBytes * 0.75) + 10);
  const small = Buffer.alloc(1000);
  it('draws a map too big for the ceiling smaller until its data URI fits', async () => {
    const scales: number[] = [];
    const message = await imageMessage({ fileName: 'm.png', title: 'M', again: 'map #1', png: async (o) => (scales.push(o?.scale ?? 1), (o?.scale ?? 1) > 0.5 ? big : small) });
    expect(scales).toEqual([1, 0.75, 0.5]);
    const contentUrl = (message!.attachments![0] as { contentUrl: string }).contentUrl;
    expect(contentUrl).toBe(`data:image/png;base64,${small.toString('base64')}`);
  });
  it('gives nothing when even the smallest does not fit (the adapter then says so in words)', async () => {
    expect(await imageMessage({ fileName: 'm.png', title: 'M', again: 'map #1', png: async () => big })).toBeUndefined();
  });
});
