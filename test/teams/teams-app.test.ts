import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { clearTeamsProfileCache } from '../../src/teams/people.ts';
import { TEAMS_LIMITS } from '../../src/teams/limits.ts';
import { createTeamsPoster } from '../../src/teams/post.ts';
import { nextSlot } from '../../src/domain/schedule.ts';
import { sendDueDigests } from '../../src/scheduler/jobs/send-digests.ts';
import { actionByTitle, cardProblems, cardText, elements, fillCard, inputByLabel, type CardJson } from '../helpers/adaptive-card.ts';
import { commandIndex, memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { executeActivity, FakeConnector, installActivity, messageActivity, postActivity, type ConnectorCall, type Sender } from '../helpers/fake-connector.ts';
import { FakeSlack, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';

const ALICE: Sender = { id: '29:alice', aadObjectId: 'aad-alice', name: 'Alice Chen' };
const WANG: Sender = { id: '29:wang', aadObjectId: 'aad-wang', name: '王芳', locale: 'zh-CN' };
const CHANNEL = { id: '19:acme-account@thread.tacv2;messageid=1', conversationType: 'channel' as const };

const cardOf = (call: ConnectorCall): CardJson => (call.body.attachments as Array<{ contentType: string; content: CardJson }>)[0]!.content;

describe('the Teams bot over real HTTP through a local connector', () => {
  let connector: FakeConnector;
  let slack: FakeSlack;
  let bot: RunningBot;
  let dbUrl: string;
  let dropDb: () => Promise<void>;
  let url: string;
  let db: Db;
  const log = memoryLogger();
  /** Every card the bot sent or returned in a test: each must parse as Adaptive Card 1.5 with no warnings. */
  const seen: CardJson[] = [];

  /** Sends a line as `sender` and returns the card the bot answered with. */
  async function say(text: string, sender: Sender = ALICE, options: { mention?: boolean } = {}): Promise<{ card: CardJson; call: ConnectorCall }> {
    const before = connector.messages.length;
    const response = await postActivity(url, messageActivity(connector, sender, text, options));
    expect(response.status).toBe(200);
    const call = (await connector.waitForMessages(before + 1))[before]!;
    seen.push(cardOf(call));
    return { card: cardOf(call), call };
  }

  /** Presses a card's button with these values; returns the card Teams shows in its place. */
  async function press(cardActivityId: string, values: Record<string, string>, action: { verb?: string; data?: Record<string, unknown> }, sender: Sender = ALICE) {
    const response = await postActivity(url, executeActivity(connector, sender, cardActivityId, action.verb!, { ...values, ...action.data }));
    expect(response.status).toBe(200);
    const body = response.json as { statusCode: number; type: string; value: CardJson | string };
    if (typeof body.value === 'object') seen.push(body.value);
    return body;
  }

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    connector.members.set(ALICE.id, { name: 'Alice Chen', email: 'alice@example.com', aadObjectId: ALICE.aadObjectId });
    connector.members.set(WANG.id, { name: '王芳', email: 'wang@example.com', aadObjectId: WANG.aadObjectId });
    slack = await new FakeSlack().start();
    slack.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
  });
  afterAll(async () => {
    await connector.stop();
    await slack.stop();
  });
  beforeEach(async () => {
    const database = await testDatabase();
    dbUrl = database.url;
    dropDb = database.cleanup;
    connector.calls.length = 0;
    clearTeamsProfileCache();
    clearProfileCache();
    const config = loadConfig({
      DATABASE_URL: dbUrl, TEAMS_ENABLED: 'true', MCR_TIMEZONE: 'Asia/Shanghai',
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`,
    });
    bot = await startBot({ ...config, port: 0 }, log, { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    db = createDb(dbUrl);
    await say('mcr account add "Acme Telecom" --tier strategic');
    for (const name of ['Tom Baker', 'Priya Nair']) await say(`mcr contact add "${name}" --account Acme --role influencer`);
    connector.calls.length = 0;
  });
  afterEach(async () => {
    const cards = seen.splice(0);
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(cardProblems(card), JSON.stringify(card).slice(0, 300)).toEqual([]);
    await db.destroy();
    await bot.stop();
    await dropDb();
  });

  it('logs a whole visit from a card: contacts of the account, two next steps, the card replaced by its confirmation', async () => {
    const { card, call } = await say('visit Acme');
    expect(card.version).toBe('1.5');
    expect(inputByLabel(card, 'Account').value).toMatch(/^#\d+$/);
    const contacts = inputByLabel(card, 'Contacts met');
    expect((contacts.choices as Array<{ title: string }>).map((c) => c.title)).toEqual(expect.arrayContaining(['Tom Baker', 'Priya Nair']));
    expect(contacts.isMultiSelect).toBe(true);
    // Our attendees default to the submitter.
    const me = await db.selectFrom('people').select('id').where('teams_id', '=', ALICE.aadObjectId).executeTakeFirstOrThrow();
    expect(inputByLabel(card, 'Our attendees').value).toBe(`#${me.id}`);
    const contactIds = (contacts.choices as Array<{ value: string }>).map((c) => c.value).join(',');
    const typed = fillCard(card, { 'Contacts met': contactIds, Summary: 'Pricing review', 'Next step 1 · What': 'Send quote', 'Next step 1 · Due': '2026-12-01' });

    // "Add next step" redraws the card with a second row and what was typed kept.
    const added = await press(call.body.id as string ?? 'card-1', typed, actionByTitle(card, 'Add next step'));
    const withTwo = added.value as CardJson;
    expect(inputByLabel(withTwo, 'Next step 1 · What').value).toBe('Send quote');
    expect(inputByLabel(withTwo, 'Summary').value).toBe('Pricing review');
    const second = fillCard(withTwo, { 'Next step 2 · What': 'Book demo', 'Next step 2 · Owner': `#${me.id}`, 'Next step 2 · Due': '2026-12-05' });

    const cardId = 'sent-card-1';
    const done = await press(cardId, second, actionByTitle(withTwo, 'Save visit'));
    expect(done.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(done.value as CardJson)).toMatch(/Acme Telecom/);
    // The form is gone for everyone: the card message was updated in place to the confirmation.
    const update = connector.updates.at(-1)!;
    expect(update.activityId).toBe(cardId);
    expect(cardText(cardOf(update))).toBe(cardText(done.value as CardJson));

    const activities = await db.selectFrom('activities').selectAll().execute();
    expect(activities).toHaveLength(1);
    expect(activities[0]!.summary).toBe('Pricing review');
    expect(await db.selectFrom('activity_contacts').selectAll().execute()).toHaveLength(2);
    const steps = await db.selectFrom('next_steps').select(['text', 'due_on', 'owner_id']).orderBy('id').execute();
    expect(steps).toEqual([
      { text: 'Send quote', due_on: '2026-12-01', owner_id: me.id },
      { text: 'Book demo', due_on: '2026-12-05', owner_id: me.id },
    ]);
  });

  it('opens a visit without an account: choose it, load its contacts, keep what was typed', async () => {
    const { card } = await say('visit');
    const account = inputByLabel(card, 'Account');
    expect(account.style).toBe('filtered');
    const acme = (account.choices as Array<{ title: string; value: string }>).find((c) => c.title === 'Acme Telecom')!;
    expect(() => inputByLabel(card, 'Contacts met')).toThrow();
    const loaded = await press('card-z', fillCard(card, { Account: acme.value, Summary: 'Intro' }), actionByTitle(card, 'Load contacts'));
    const next = loaded.value as CardJson;
    expect(inputByLabel(next, 'Account').value).toBe(acme.value);
    expect(inputByLabel(next, 'Summary').value).toBe('Intro');
    expect((inputByLabel(next, 'Contacts met').choices as Array<{ title: string }>).map((c) => c.title)).toEqual(expect.arrayContaining(['Tom Baker', 'Priya Nair']));
    expect(await db.selectFrom('activities').selectAll().execute()).toHaveLength(0);
  });

  it('runs the buttons of a brief as the one who presses them: "Log visit" sends the form, "Done" closes a next step', async () => {
    await say('visit Acme --summary "Kick-off" --next "Send deck; alice@example.com; 2026-12-01"');
    const { card } = await say('brief Acme');
    const answer = await press('brief-card', {}, actionByTitle(card, 'Log visit'));
    expect(typeof answer.value).toBe('string');
    const form = cardOf(connector.messages.at(-1)!);
    seen.push(form);
    expect(inputByLabel(form, 'Account').value).toMatch(/^#\d+$/);
    await press('brief-card', {}, actionByTitle(card, 'Done: Send deck'));
    expect(cardText(cardOf(connector.messages.at(-1)!))).toMatch(/Send deck/);
    expect((await db.selectFrom('next_steps').select('done_on').executeTakeFirstOrThrow()).done_on).not.toBeNull();
  });

  it('rates a contact on six dimensions from a card with the level labels', async () => {
    const { card } = await say('rate "Tom Baker"');
    const acceptance = inputByLabel(card, 'Acceptance');
    const choices = acceptance.choices as Array<{ title: string; value: string }>;
    expect(choices.map((c) => c.title)).toEqual(expect.arrayContaining(['3 · Coach', '-1 · Opposed']));
    const values = fillCard(card, { Acceptance: choices.find((c) => c.title === '2 · Exclusive supporter')!.value, 'Day-to-day guidance': choices.find((c) => c.title === '1 · Supportive')!.value });
    const saved = await press('rate-card', values, actionByTitle(card, 'Save rating'));
    expect(cardText(saved.value as CardJson)).toMatch(/Tom Baker/);
    const rating = await db.selectFrom('ratings').select(['acceptance', 'guidance', 'competition']).executeTakeFirstOrThrow();
    expect(rating).toEqual({ acceptance: 2, guidance: 1, competition: null });
  });

  it('shows validation errors on the card with the values kept, and writes nothing', async () => {
    const { card } = await say('visit Acme');
    const values = fillCard(card, { Date: '2099-01-01', Summary: 'Too early' });
    const answer = await press('card-x', values, actionByTitle(card, 'Save visit'));
    const again = answer.value as CardJson;
    expect(inputByLabel(again, 'Summary').value).toBe('Too early');
    expect(cardText(again)).toMatch(/Date: cannot be in the future/);
    expect(actionByTitle(again, 'Save visit')).toBeTruthy();
    expect(await db.selectFrom('activities').selectAll().execute()).toHaveLength(0);
  });

  it('writes a replayed submit once', async () => {
    const { card } = await say('visit Acme');
    const values = fillCard(card, { Summary: 'Once' });
    const first = await press('card-y', values, actionByTitle(card, 'Save visit'));
    const second = await press('card-y', values, actionByTitle(card, 'Save visit'));
    expect(cardText(second.value as CardJson)).toBe(cardText(first.value as CardJson));
    expect(await db.selectFrom('activities').selectAll().execute()).toHaveLength(1);
  });

  it('answers an @mention in a channel, and remembers the channel and the personal chat for later posts', async () => {
    const inChannel = { ...ALICE, conversation: CHANNEL };
    const { card, call } = await say('brief Acme', inChannel, { mention: true });
    expect(call.conversationId).toBe(CHANNEL.id);
    expect(cardText(card)).toMatch(/Acme Telecom/);
    expect(cardText(card)).toMatch(/Tom Baker/);
    const conversations = await db.selectFrom('conversations').select(['conversation_id', 'kind', 'person_id', 'reference']).orderBy('kind').execute();
    // The channel itself, not the thread the bot was mentioned in: later posts start new posts.
    const channelId = CHANNEL.id.replace(/;messageid=\d+$/, '');
    expect(conversations.map((c) => [c.conversation_id, c.kind])).toEqual([
      [channelId, 'channel'],
      [`a:personal-${ALICE.id}`, 'personal'],
    ]);
    expect(conversations[1]!.person_id).not.toBeNull();
    expect(JSON.parse(conversations[0]!.reference)).toMatchObject({ serviceUrl: `${connector.url}/`, conversation: { id: channelId } });
  });

  it('subscribes a channel to the weekly digest by @mention, and the digest arrives there as a new post', async () => {
    const inChannel = { ...ALICE, conversation: CHANNEL };
    await say('visit Acme --summary "Kick-off" --next "Call back; alice@example.com; 2026-11-01"');
    const { card } = await say('mcr digest subscribe weekly monday 09:00 Asia/Shanghai', inChannel, { mention: true });
    expect(cardText(card)).toMatch(/This channel gets the weekly digest every Monday at 09:00/);
    const channelId = CHANNEL.id.replace(/;messageid=\d+$/, '');
    const config = loadConfig({ DATABASE_URL: dbUrl, TEAMS_ENABLED: 'true', MCR_TIMEZONE: 'Asia/Shanghai' });
    const base = { db, config, log, commands: commandIndex };
    const slot = nextSlot({ frequency: 'weekly', weekday: 1, time: '09:00', timezone: 'Asia/Shanghai' }, new Date());
    const report = await sendDueDigests({ ...base, outbox: { teams: createTeamsPoster(base) }, instance: 'test' }, slot.at);
    expect(report.sent).toHaveLength(1);
    const posted = connector.messages.filter((m) => m.conversationId === channelId);
    expect(posted).toHaveLength(1);
    const digestCard = cardOf(posted[0]!) as CardJson & { msteams?: { entities: Array<{ type: string; text: string; mentioned: { id: string } }> } };
    seen.push(digestCard);
    expect(cardText(digestCard)).toMatch(/Weekly digest/);
    // The owner of the overdue next step is @mentioned the Teams way.
    expect(cardText(digestCard)).toMatch(/Call back — <at>Alice Chen<\/at>/);
    expect(digestCard.msteams?.entities).toEqual([{ type: 'mention', text: '<at>Alice Chen</at>', mentioned: { id: ALICE.aadObjectId, name: 'Alice Chen' } }]);
  });

  it('shows names and notes as written: no link or formatting from Teams markdown (issue 14)', async () => {
    const evil = '[x](http://evil) **bold** _it_';
    await say(`mcr account add "${evil}" --tier general --industry "[y](http://evil2)"`);
    const { card } = await say(`mcr account show "${evil}"`);
    const texts = elements(card).flatMap((e) => [e.text, ...((e.facts as Array<{ title: string; value: string }> | undefined) ?? []).flatMap((f) => [f.title, f.value])]).filter((t): t is string => typeof t === 'string');
    expect(texts.join('\n')).toContain('\\[x\\](http://evil) \\*\\*bold\\*\\* \\_it\\_');
    expect(texts).toContain('\\[y\\](http://evil2)');
    // No markdown link or emphasis is left unescaped in what the card shows.
    for (const text of texts) expect(text).not.toMatch(/(^|[^\\])\[[^\]]*(?<!\\)\]\(|(^|[^\\])\*\*/);
  });

  it('speaks Chinese to a user whose Teams is in Chinese', async () => {
    const { card } = await say('visit Acme', WANG);
    expect(inputByLabel(card, '客户')).toBeTruthy();
    expect(actionByTitle(card, '保存拜访')).toBeTruthy();
    const help = await say('mcr help', WANG);
    expect(cardText(help.card)).toMatch(/[\u4e00-\u9fff]/);
  });

  it('is the same person in Teams as in Slack when the email matches', async () => {
    const slackReply = await sendSigned(url, SIGNING_SECRET, slashCommand(slack, '/tier', 'Acme', 'U1ALICE'));
    expect(slackReply.status).toBe(200);
    await slack.waitFor('response_url');
    const linked = await db.selectFrom('people').select(['id', 'slack_id', 'teams_id', 'email']).where('email', '=', 'alice@example.com').execute();
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ slack_id: 'U1ALICE', teams_id: ALICE.aadObjectId });
  });

  it('greets a conversation it is added to, with help', async () => {
    const response = await postActivity(url, installActivity(connector, ALICE));
    expect(response.status).toBe(200);
    // In a personal chat: the user's home first (test/teams/teams-native.test.ts), then help.
    const call = (await connector.waitForMessages(2))[1];
    seen.push(cardOf(call!));
    expect(cardText(cardOf(call!))).toMatch(/visit/);
  });

  it('fits the brief of an account with 300 contacts in one Teams message, saying the rest was left out', async () => {
    const account = await db.selectFrom('accounts').select('id').executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    await db
      .insertInto('contacts')
      .values(Array.from({ length: 300 }, (_, i) => ({ account_id: account.id, name: `Contact ${i + 1} 联系人`, name_key: `contact ${i + 1} 联系人`, title: 'Senior Engineer', role: 'user', created_on: '2026-01-01', updated_at: now })))
      .execute();
    const { card, call } = await say('brief Acme');
    expect(Buffer.byteLength(JSON.stringify(call.body), 'utf8')).toBeLessThan(28_000);
    expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes + 2_000);
    expect(cardText(card)).toMatch(/more than fits in one Teams message/);
  });
});

describe('the Teams bot with an allow-list', () => {
  it('refuses someone MCR_ALLOWED_USERS does not list, politely, before reading or writing anything', async () => {
    const database = await testDatabase();
    const dbUrl = database.url;
    const connector = await new FakeConnector().start();
    connector.members.set(ALICE.id, { name: 'Alice Chen', email: 'alice@example.com', aadObjectId: ALICE.aadObjectId });
    clearTeamsProfileCache();
    const config = loadConfig({ DATABASE_URL: dbUrl, TEAMS_ENABLED: 'true', MCR_ALLOWED_USERS: 'bob@example.com' });
    const bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    const db = createDb(dbUrl);
    try {
      const url = `http://127.0.0.1:${bot.port}`;
      expect((await postActivity(url, messageActivity(connector, ALICE, 'account add Sneaky'))).status).toBe(200);
      const [answer] = await connector.waitForMessages(1);
      expect(cardText(cardOf(answer!))).toMatch(/has not given you access/);
      expect(await db.selectFrom('people').selectAll().execute()).toEqual([]);
      expect(await db.selectFrom('accounts').selectAll().execute()).toEqual([]);
    } finally {
      await db.destroy();
      await bot.stop();
      await connector.stop();
      await database.cleanup();
    }
  });
});

describe('the Teams bot with a bot registration', () => {
  it('refuses a request without a valid Bot Framework token with 401 and touches nothing', async () => {
    const database = await testDatabase();
    const dbUrl = database.url;
    const connector = await new FakeConnector().start();
    const config = loadConfig({ DATABASE_URL: dbUrl, MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'secret' });
    const bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    const db = createDb(dbUrl);
    try {
      const url = `http://127.0.0.1:${bot.port}`;
      expect((await postActivity(url, messageActivity(connector, ALICE, 'visit Acme'))).status).toBe(401);
      expect((await postActivity(url, messageActivity(connector, ALICE, 'visit Acme'), { authorization: 'Bearer not-a-token' })).status).toBe(401);
      expect(await db.selectFrom('people').selectAll().execute()).toEqual([]);
      expect(await db.selectFrom('conversations').selectAll().execute()).toEqual([]);
      expect(connector.calls).toEqual([]);
    } finally {
      await db.destroy();
      await bot.stop();
      await connector.stop();
      await database.cleanup();
    }
  });
});
