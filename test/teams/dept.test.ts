import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearTeamsProfileCache } from '../../src/teams/people.ts';
import { actionByTitle, cardProblems, cardText, fillCard, inputByLabel, type CardJson } from '../helpers/adaptive-card.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { executeActivity, FakeConnector, messageActivity, postActivity, type Sender } from '../helpers/fake-connector.ts';

const WANG: Sender = { id: '29:wang', aadObjectId: 'aad-wang', name: '王芳', locale: 'zh-CN' };

/** §11 `dept set` in Teams, in Chinese: the form card from the form model, a refused value, then one write. */
describe('dept set in Teams', () => {
  let connector: FakeConnector;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let url: string;
  let db: Db;
  const seen: CardJson[] = [];

  async function say(text: string): Promise<CardJson> {
    const before = connector.messages.length;
    expect((await postActivity(url, messageActivity(connector, WANG, text))).status).toBe(200);
    const call = (await connector.waitForMessages(before + 1))[before]!;
    const card = (call.body.attachments as Array<{ content: CardJson }>)[0]!.content;
    seen.push(card);
    return card;
  }
  async function press(card: CardJson, values: Record<string, string>): Promise<CardJson> {
    const action = actionByTitle(card, '保存');
    const response = await postActivity(url, executeActivity(connector, WANG, 'dept-card', action.verb!, { ...values, ...action.data }));
    expect(response.status).toBe(200);
    const value = (response.json as { value: CardJson }).value;
    seen.push(value);
    return value;
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
    db = createDb(database.url);
    await say('mcr account add 华信银行 --account-manager wang@example.com');
  });
  afterEach(async () => {
    for (const card of seen.splice(0)) expect(cardProblems(card), JSON.stringify(card).slice(0, 300)).toEqual([]);
    await db.destroy();
    await bot.stop();
    await dropDb();
  });

  it('records a department from the card; an unknown support value is refused on its field and nothing is written', async () => {
    const card = await say('dept set 华信 采购部');
    expect(inputByLabel(card, '部门').value).toBe('采购部');
    const support = inputByLabel(card, '关键事件支撑度').choices as Array<{ title: string; value: string }>;
    expect(support.map((c) => c.title)).toEqual(['合作不顺畅', '合作顺畅不支撑', '合作顺畅支撑关键决策']);

    const answers = { 部门: '采购部', 目标活动次数: '2', 关键事件支撑度: 'supports_decisions', 信息渠道顺畅: 'no', 重大事件扩散: 'no' };
    const refused = await press(card, fillCard(card, { ...answers, 关键事件支撑度: 'great' }));
    expect(cardText(refused)).toContain('关键事件支撑度：必须是以下之一');
    expect(await db.selectFrom('department_scores').selectAll().execute()).toEqual([]);

    const saved = await press(card, fillCard(card, answers));
    // process 0/2 = 0; result 50 + 0 + 20 = 70; combined 0.7·70 = 49
    expect(cardText(saved)).toContain('采购部：49（过程 0，结果 70）');
    expect(await db.selectFrom('department_scores').select(['department', 'target', 'support', 'channel_open', 'incident_spread']).execute()).toEqual([
      { department: '采购部', target: 2, support: 'supports_decisions', channel_open: 0, incident_spread: 0 },
    ]);
  });
});
