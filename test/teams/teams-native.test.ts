import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { insertAccount } from '../../src/db/account.repository.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearTeamsProfileCache } from '../../src/teams/people.ts';
import { cardProblems, cardText, elements, type CardJson } from '../helpers/adaptive-card.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { FakeConnector, installActivity, messageActivity, postActivity, searchActivity, type ConnectorCall, type Sender } from '../helpers/fake-connector.ts';

const ALICE: Sender = { id: '29:alice', aadObjectId: 'aad-alice', name: 'Alice Chen' };
const cardOf = (call: ConnectorCall): CardJson => (call.body.attachments as Array<{ contentType: string; content: CardJson }>)[0]!.content;
type SearchResponse = { type: string; value: { results: Array<{ title: string; value: string }> } };

describe('Teams native: type-ahead through application/search', () => {
  let connector: FakeConnector;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let url: string;
  let db: Db;

  async function say(text: string): Promise<CardJson> {
    const before = connector.messages.length;
    expect((await postActivity(url, messageActivity(connector, ALICE, text))).status).toBe(200);
    return cardOf((await connector.waitForMessages(before + 1))[before]!);
  }

  async function search(dataset: string, queryText: string, queryOptions: { skip?: number; top?: number } = {}) {
    const response = await postActivity(url, searchActivity(connector, ALICE, dataset, queryText, queryOptions));
    expect(response.status).toBe(200);
    return response.json as SearchResponse;
  }

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    connector.members.set(ALICE.id, { name: 'Alice Chen', email: 'alice@example.com', aadObjectId: ALICE.aadObjectId });
  });
  afterAll(async () => {
    await connector.stop();
  });
  beforeEach(async () => {
    const database = await testDatabase();
    dropDb = database.cleanup;
    clearTeamsProfileCache();
    const config = loadConfig({ DATABASE_URL: database.url, TEAMS_ENABLED: 'true', MCR_TIMEZONE: 'Asia/Shanghai' });
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    db = createDb(database.url);
    await say('mcr account add "Acme Telecom" --tier strategic');
    for (const name of ['Tom Baker', 'Priya Nair']) await say(`mcr contact add "${name}" --account Acme --role influencer`);
  });
  afterEach(async () => {
    await db.destroy();
    await bot.stop();
    await dropDb();
  });

  it('offers the visit card type-ahead for accounts and contacts, with the static choices kept as the fallback', async () => {
    const card = await say('visit Acme');
    expect(cardProblems(card)).toEqual([]);
    const sets = elements(card).filter((e) => e.type === 'Input.ChoiceSet') as Array<Record<string, unknown>>;
    const account = sets.find((s) => s.id === 'account')!;
    expect(account['choices.data']).toEqual({ type: 'Data.Query', dataset: 'accounts' });
    expect((account.choices as unknown[]).length).toBeGreaterThan(0);
    const contacts = sets.find((s) => (s['choices.data'] as { dataset?: string } | undefined)?.dataset?.startsWith('contacts:'))!;
    const dataset = (contacts['choices.data'] as { dataset: string }).dataset;
    const answer = await search(dataset, 'pri');
    expect(answer.type).toBe('application/vnd.microsoft.search.searchResponse');
    expect(answer.value.results.map((r) => r.title)).toEqual(['Priya Nair']);
    const priya = await db.selectFrom('contacts').select('id').where('name', '=', 'Priya Nair').executeTakeFirstOrThrow();
    expect(answer.value.results[0]!.value).toBe(`#${priya.id}`);
  });

  it('reaches every account by typing, not only the first hundred, and pages with skip/top', async () => {
    const today = '2026-11-28';
    for (let i = 1; i <= 150; i++) {
      await insertAccount(db, { name: `Account ${String(i).padStart(3, '0')}`, tier: 'general' } as Parameters<typeof insertAccount>[1], { by: null, today, now: new Date() });
    }
    const last = await search('accounts', 'Account 150');
    expect(last.value.results.map((r) => r.title)).toEqual(['Account 150']);
    const row = await db.selectFrom('accounts').select('id').where('name', '=', 'Account 150').executeTakeFirstOrThrow();
    expect(last.value.results[0]!.value).toBe(`#${row.id}`);
    const first = await search('accounts', 'Account 1', { top: 5 });
    const second = await search('accounts', 'Account 1', { skip: 5, top: 5 });
    expect(first.value.results).toHaveLength(5);
    expect(second.value.results).toHaveLength(5);
    expect(second.value.results.map((r) => r.value)).not.toContain(first.value.results[0]!.value);
  });

  it('welcomes a user who adds the bot in a personal chat with their home, then what it does', async () => {
    await say('visit Acme --summary "Kick-off" --next "Send deck; alice@example.com; 2026-12-01"');
    const before = connector.messages.length;
    expect((await postActivity(url, installActivity(connector, ALICE))).status).toBe(200);
    const [home, help] = (await connector.waitForMessages(before + 2)).slice(before).map(cardOf);
    expect(cardProblems(home)).toEqual([]);
    expect(cardText(home!)).toContain('MCR Bot: my relationships');
    expect(cardText(home!)).toContain('Send deck');
    expect(cardText(help!)).toMatch(/visit/);
  });

  it('searches an account from the message extension and inserts its brief card', async () => {
    const base = searchActivity(connector, ALICE, '', '');
    const query = await postActivity(url, { ...base, name: 'composeExtension/query', value: { commandId: 'searchAccount', parameters: [{ name: 'query', value: 'acme' }], queryOptions: { skip: 0, count: 25 } } });
    expect(query.status).toBe(200);
    const result = (query.json as { composeExtension: { type: string; attachments: Array<{ preview: { content: { title: string; tap: { value: { account: string } } } } }> } }).composeExtension;
    expect(result.type).toBe('result');
    expect(result.attachments.map((a) => a.preview.content.title)).toEqual(['Acme Telecom']);
    const chosen = result.attachments[0]!.preview.content.tap.value;
    const select = await postActivity(url, { ...base, name: 'composeExtension/selectItem', value: chosen });
    expect(select.status).toBe(200);
    const inserted = (select.json as { composeExtension: { attachments: Array<{ contentType: string; content: CardJson }> } }).composeExtension.attachments[0]!;
    expect(inserted.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(inserted.content)).toEqual([]);
    expect(cardText(inserted.content)).toContain('Acme Telecom');
    expect(cardText(inserted.content)).toContain('Priya Nair');
  });

  it('answers no results for an unknown account in a contacts dataset', async () => {
    expect((await search('contacts:#999999', '')).value.results).toEqual([]);
  });
});

describe('Teams native invokes with a bot registration', () => {
  it('refuses application/search and composeExtension/query without a valid Bot Framework token: 401, nothing read or written', async () => {
    const database = await testDatabase();
    const connector = await new FakeConnector().start();
    const config = loadConfig({ DATABASE_URL: database.url, MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'secret' });
    const log = memoryLogger();
    const bot = await startBot({ ...config, port: 0 }, log, { scheduler: false });
    const db = createDb(database.url);
    try {
      const url = `http://127.0.0.1:${bot.port}`;
      const search = searchActivity(connector, ALICE, 'accounts', 'Ac');
      const query = { ...search, name: 'composeExtension/query', value: { commandId: 'searchAccount', parameters: [{ name: 'query', value: 'Ac' }] } };
      for (const activity of [search, query]) {
        expect((await postActivity(url, activity)).status).toBe(401);
        expect((await postActivity(url, activity, { authorization: 'Bearer forged.token.value' })).status).toBe(401);
      }
      expect(await db.selectFrom('people').selectAll().execute()).toEqual([]);
      expect(connector.calls).toEqual([]);
    } finally {
      await db.destroy();
      await bot.stop();
      await connector.stop();
      await database.cleanup();
    }
  });
});
