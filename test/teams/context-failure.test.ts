import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { en, t } from '../../src/i18n/index.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearTeamsProfileCache } from '../../src/teams/people.ts';
import { cardText, type CardJson } from '../helpers/adaptive-card.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { executeActivity, FakeConnector, installActivity, messageActivity, postActivity, type ConnectorCall, type Sender } from '../helpers/fake-connector.ts';
import { apologyPattern, failInsertsInto } from '../helpers/planted-failure.ts';

const BOB: Sender = { id: '29:bob', aadObjectId: 'aad-bob', name: 'Bob Li' };
const WANG: Sender = { id: '29:wang', aadObjectId: 'aad-wang', name: '王芳', locale: 'zh-CN' };
const cardOf = (call: ConnectorCall): CardJson => (call.body.attachments as Array<{ content: CardJson }>)[0]!.content;

describe('Teams: a failure while finding who is speaking reaches them as the apology with its reference (issue 16 part 6)', () => {
  let connector: FakeConnector;
  let bot: RunningBot;
  let db: Db;
  let url: string;
  let dropDb: () => Promise<void>;
  const log = memoryLogger();

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    connector.members.set(BOB.id, { name: 'Bob Li', email: 'bob@example.com', aadObjectId: BOB.aadObjectId });
    connector.members.set(WANG.id, { name: '王芳', email: 'wang@example.com', aadObjectId: WANG.aadObjectId });
  });
  afterAll(async () => connector.stop());
  beforeEach(async () => {
    const database = await testDatabase();
    dropDb = database.cleanup;
    connector.calls.length = 0;
    clearTeamsProfileCache();
    bot = await startBot({ ...loadConfig({ DATABASE_URL: database.url, TEAMS_ENABLED: 'true' }), port: 0 }, log, { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    db = createDb(database.url);
    // Whoever writes first makes their person record: that write fails here.
    await failInsertsInto(db, 'people');
  });
  afterEach(async () => {
    await db.destroy();
    await bot.stop();
    await dropDb();
  });

  it('a typed command: the apology card, with the reference of the logged failure', async () => {
    expect((await postActivity(url, messageActivity(connector, BOB, 'brief Acme'))).status).toBe(200);
    const [reply] = await connector.waitForMessages(1);
    const ref = apologyPattern(en['error.unexpected']).exec(cardText(cardOf(reply!)))?.[1];
    expect(ref).toBeTruthy();
    expect(log.lines.some((l) => l.requestId === ref && l.level !== 'debug')).toBe(true);
    expect(await db.selectFrom('people').select('id').execute()).toEqual([]);
  });

  it('in the sender\'s Teams language', async () => {
    await postActivity(url, messageActivity(connector, WANG, 'brief Acme'));
    const [reply] = await connector.waitForMessages(1);
    expect(cardText(cardOf(reply!))).toMatch(apologyPattern(t('zh-CN', 'error.unexpected')));
  });

  it('a card button: the card is replaced by the apology', async () => {
    const response = await postActivity(url, executeActivity(connector, BOB, 'card-1', 'submit', { mcr: { f: 'visit', c: {}, r: {}, k: 'k1' }, date: '2026-11-20' }));
    expect(response.status).toBe(200);
    const body = response.json as { value: CardJson };
    expect(cardText(body.value)).toMatch(apologyPattern(en['error.unexpected']));
    expect(await db.selectFrom('activities').select('id').execute()).toEqual([]);
  });

  it('being added to a chat: the apology rather than silence', async () => {
    await postActivity(url, installActivity(connector, BOB));
    const [reply] = await connector.waitForMessages(1);
    expect(cardText(cardOf(reply!))).toMatch(apologyPattern(en['error.unexpected']));
  });
});
