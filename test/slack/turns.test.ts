import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { FakeSlack, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';

const textOf = (body: Record<string, unknown>) => `${String(body.text ?? '')}\n${JSON.stringify(body.blocks ?? '')}`;

describe("Slack: one person's commands are worked on in the order they came, after their acks", () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let url: string;
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
    fake.users.set('U2BOB', { name: 'Bob Li', email: 'bob@example.com' });
    const database = await testDatabase();
    dropDb = database.cleanup;
    const config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/` });
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
  });
  afterAll(async () => {
    await bot.stop();
    await fake.stop();
    await dropDb();
  });

  it("a second command waits for the first one's answer; another person's does not", async () => {
    // Alice's first answer is slow to reach Slack: her next command must not overtake it, Bob's may.
    fake.delayNext('response_url', 800);
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Beta Corp" --tier partner'))).status).toBe(200);
    await fake.waitFor('response_url (delayed 800 ms)');
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'contact add "Ann Lee" --account "Beta Corp" --role influencer'))).status).toBe(200);
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'help', 'U2BOB'))).status).toBe(200);
    const answers = (await fake.waitFor('response_url', 3)).map((call) => textOf(call.body));
    const who = answers.map((text) => (text.includes('Ann Lee') ? 'contact' : text.includes('Beta Corp') ? 'account' : 'bob'));
    expect(who).toEqual(['bob', 'account', 'contact']);
    // The contact found the account the first command wrote: saved, not "no such account".
    expect(answers[2]).not.toMatch(/not found|no account/i);
  });
});
