import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearTeamsProfileCache } from '../../src/teams/people.ts';
import { actionByTitle, cardProblems, cardText, fillCard, inputByLabel, type CardJson } from '../helpers/adaptive-card.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { executeActivity, FakeConnector, messageActivity, postActivity, type ConnectorCall, type Sender } from '../helpers/fake-connector.ts';

const ALICE: Sender = { id: '29:alice', aadObjectId: 'aad-alice', name: 'Alice Chen' };
const cardOf = (call: ConnectorCall): CardJson => (call.body.attachments as Array<{ contentType: string; content: CardJson }>)[0]!.content;

describe('correct and undo in Teams: a rating edited in its card, then undone', () => {
  let connector: FakeConnector;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let url: string;
  let db: Db;
  const seen: CardJson[] = [];

  async function say(text: string): Promise<CardJson> {
    const before = connector.messages.length;
    expect((await postActivity(url, messageActivity(connector, ALICE, text))).status).toBe(200);
    const card = cardOf((await connector.waitForMessages(before + 1))[before]!);
    seen.push(card);
    return card;
  }

  async function press(cardActivityId: string, values: Record<string, string>, action: { verb?: string; data?: Record<string, unknown> }) {
    const response = await postActivity(url, executeActivity(connector, ALICE, cardActivityId, action.verb!, { ...values, ...action.data }));
    expect(response.status).toBe(200);
    const body = response.json as { value: CardJson | string };
    if (typeof body.value === 'object') seen.push(body.value);
    return body;
  }

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    connector.members.set(ALICE.id, { name: 'Alice Chen', email: 'alice@example.com', aadObjectId: ALICE.aadObjectId });
  });
  afterAll(async () => connector.stop());
  beforeEach(async () => {
    const database = await testDatabase();
    dropDb = database.cleanup;
    connector.calls.length = 0;
    clearTeamsProfileCache();
    const config = loadConfig({ DATABASE_URL: database.url, TEAMS_ENABLED: 'true', MCR_TIMEZONE: 'Asia/Shanghai' });
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    db = createDb(database.url);
    await say('mcr account add "Acme Telecom" --tier strategic');
    await say('mcr contact add "Tom Baker" --account Acme --role influencer');
  });
  afterEach(async () => {
    for (const card of seen.splice(0)) expect(cardProblems(card), JSON.stringify(card).slice(0, 300)).toEqual([]);
    await db.destroy();
    await bot.stop();
    await dropDb();
  });

  const levels = async () => db.selectFrom('ratings').select(['acceptance', 'competition', 'note']).execute();

  it('rate, edit in the prefilled card (replaced by its confirmation), then Undo the edit', async () => {
    const rated = await say('rate "Tom Baker" supportive');
    expect(cardText(rated)).toContain('You can undo this for 10 minutes');
    expect(await levels()).toEqual([{ acceptance: 1, competition: 1, note: null }]);
    const id = (await db.selectFrom('ratings').select('id').executeTakeFirstOrThrow()).id;

    // The Edit button runs `rate edit #id`: the six-dimension card, prefilled.
    const edit = actionByTitle(rated, 'Edit');
    expect((edit.data as { mcr: { run: string } }).mcr.run).toBe(`rate edit #${id}`);
    await press('rated-card', {}, edit);
    const form = cardOf(connector.messages.at(-1)!);
    seen.push(form);
    expect(cardText(form)).toContain(`Edit rating #${id} of Tom Baker`);
    expect(inputByLabel(form, 'Acceptance').value).toBe('supportive');
    const saved = await press('edit-card', fillCard(form, { Acceptance: 'coach', Note: 'Championed us at the board' }), actionByTitle(form, 'Save rating'));
    const confirmation = saved.value as CardJson;
    expect(cardText(confirmation)).toContain(`Rating #${id} of Tom Baker updated`);
    expect(connector.updates.at(-1)!.activityId).toBe('edit-card');
    expect(await levels()).toEqual([{ acceptance: 3, competition: 1, note: 'Championed us at the board' }]);
    expect(await db.selectFrom('audit_log').select('action').where('action', '=', 'rating.update').execute()).toHaveLength(1);

    // Undo on the confirmation card: the rating as it was, the same id; a second press changes nothing.
    const undo = actionByTitle(confirmation, 'Undo');
    await press('confirmation-card', {}, undo);
    expect(cardText(cardOf(connector.messages.at(-1)!))).toContain(`Undone: the edit of rating #${id}.`);
    await press('confirmation-card', {}, undo);
    expect(cardText(cardOf(connector.messages.at(-1)!))).toContain('Already undone');
    expect(await db.selectFrom('ratings').select(['id', 'acceptance', 'note']).execute()).toEqual([{ id, acceptance: 1, note: null }]);
  });
});
