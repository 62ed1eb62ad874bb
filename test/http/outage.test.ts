import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/config.ts';
import { runConsole } from '../../src/console/console.ts';
import { createDb, migrateToLatest } from '../../src/db/create-db.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { clearTeamsProfileCache } from '../../src/teams/people.ts';
import { commandIndex, memoryLogger, testConfig } from '../helpers/context.ts';
import { DbProxy } from '../helpers/db-proxy.ts';
import { PG_ADMIN_URL, postgresDatabase, postgresReachable } from '../helpers/engine.ts';
import { FakeConnector, messageActivity, postActivity, type Sender } from '../helpers/fake-connector.ts';
import { FakeSlack, interaction, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';

const EN = 'The database is temporarily unavailable, so nothing was saved. Please try again in a minute.';
const ZH = '数据库暂时无法访问，什么都没有保存。请稍后再试。';
const ALICE: Sender = { id: '29:alice', aadObjectId: 'aad-alice', name: 'Alice Chen' };
const WANG: Sender = { id: '29:wang', aadObjectId: 'aad-wang', name: '王芳', locale: 'zh-CN' };

// The outage is a PostgreSQL server going away (a relay in front of it is cut): the
// embedded SQLite file cannot be taken away from a running process the same way.
const postgres = await postgresReachable();
const target = new URL(PG_ADMIN_URL);

describe.skipIf(!postgres)('a database outage is answered in every channel, in the user\'s language (issue 14 part 6)', () => {
  let fake: FakeSlack;
  let connector: FakeConnector;
  let proxy: DbProxy;
  let bot: RunningBot;
  let url: string;
  let drop: () => Promise<void>;
  let view: { id: string; hash: string; blocks: Array<{ type: string; block_id?: string; element?: { action_id?: string } }>; private_metadata: string; callback_id: string };

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
    fake.users.set('U3WANG', { name: '王芳', email: 'wang@example.com', locale: 'zh-CN' });
    // Slack gives no locale for this one: MCR_LANGUAGE (zh-CN here) is used.
    fake.users.set('U4NOLOCALE', { name: 'Nobody', email: 'nobody@example.com', locale: '' });
    connector = await new FakeConnector().start();
    connector.members.set(ALICE.id, { name: 'Alice Chen', email: 'alice@example.com', aadObjectId: ALICE.aadObjectId });
    connector.members.set(WANG.id, { name: '王芳', email: 'wang@example.com', aadObjectId: WANG.aadObjectId });
    const database = await postgresDatabase();
    drop = database.cleanup;
    proxy = await new DbProxy({ host: target.hostname, port: Number(target.port || 5432) }).start();
    clearProfileCache();
    clearTeamsProfileCache();
    const config = loadConfig({
      DATABASE_URL: proxy.via(database.url), SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`,
      TEAMS_ENABLED: 'true', MCR_LANGUAGE: 'zh-CN',
    });
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add Acme --tier strategic'));
    await fake.waitFor('response_url');
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/visit', 'Acme'));
    const [open] = await fake.waitFor('views.open');
    view = { ...(open!.body.view as typeof view), id: 'V1', hash: 'h1' };
    fake.calls.length = 0;
    await proxy.cut();
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.stop();
    await connector?.stop();
    await drop?.();
  });

  it('a slash command gets the answer (not silence), in English, in Chinese, and in MCR_LANGUAGE when Slack gives no locale', async () => {
    for (const [user, text] of [['U1ALICE', EN], ['U3WANG', ZH], ['U4NOLOCALE', ZH]] as const) {
      const before = fake.of('response_url').length;
      expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/tier', 'Acme', user))).status).toBe(200);
      const answer = (await fake.waitFor('response_url', before + 1))[before]!;
      expect(answer.body.text).toBe(text);
      expect(answer.body.response_type).toBe('ephemeral');
    }
  });

  it('a modal submission gets its answer on the form (response_action errors)', async () => {
    const submitted = await sendSigned(url, SIGNING_SECRET, interaction({ type: 'view_submission', user: { id: 'U1ALICE' }, view: { ...view, state: { values: {} } } }));
    expect(submitted.status).toBe(200);
    const firstInput = view.blocks.find((b) => b.type === 'input')!.block_id!;
    expect(submitted.json).toEqual({ response_action: 'errors', errors: { [firstInput]: EN } });
  });

  it('a button gets its answer, and a list of choices says why it is empty', async () => {
    const before = fake.of('response_url').length;
    const pressed = await sendSigned(url, SIGNING_SECRET, interaction({
      type: 'block_actions', user: { id: 'U3WANG' }, trigger_id: 't-outage', response_url: `${fake.url}/response/outage`, channel: { id: 'C1ACME' },
      actions: [{ type: 'button', action_id: 'run:0', block_id: 'b', value: 'tier Acme' }],
    }));
    expect(pressed.status).toBe(200);
    expect((await fake.waitFor('response_url', before + 1))[before]!.body.text).toBe(ZH);

    const account = view.blocks.find((b) => b.block_id === 'account')!;
    const suggestion = await sendSigned(url, SIGNING_SECRET, interaction({ type: 'block_suggestion', user: { id: 'U1ALICE' }, action_id: account.element!.action_id, block_id: 'account', value: 'Ac', view: { ...view, state: { values: {} } } }));
    expect(suggestion.status).toBe(200);
    expect(suggestion.json).toEqual({ options: [{ text: { type: 'plain_text', text: `${EN.slice(0, 74)}…` }, value: '#0' }] });
  });

  it('Teams: a typed command is answered in the sender\'s language', async () => {
    for (const [sender, text] of [[ALICE, EN], [WANG, ZH]] as const) {
      const before = connector.messages.length;
      expect((await postActivity(url, messageActivity(connector, sender, 'tier Acme'))).status).toBe(200);
      const [answer] = (await connector.waitForMessages(before + 1)).slice(before);
      expect(JSON.stringify(answer!.body)).toContain(text);
    }
  });

  it('/healthz and /readyz say the database is unreachable', async () => {
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unhealthy', database: 'unreachable' });
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
  });
});

describe.skipIf(!postgres)('the console and the CLI in an outage', () => {
  it('the console answers "temporarily unavailable" and goes on', async () => {
    const database = await postgresDatabase();
    const proxy = await new DbProxy({ host: target.hostname, port: Number(target.port || 5432) }).start();
    const db = createDb(proxy.via(database.url));
    try {
      await migrateToLatest(db);
      const input = new PassThrough();
      const output = new PassThrough();
      let text = '';
      output.on('data', (d: Buffer) => (text += d.toString()));
      const session = runConsole({ db, config: testConfig(), log: memoryLogger(), commands: commandIndex }, { input, output });
      while (!text.includes('mcr> ')) await new Promise((r) => setTimeout(r, 20));
      await proxy.cut();
      input.end('tier\nhelp\nexit\n');
      await session;
      // The console wraps at 80 columns: the sentence may span two lines.
      expect(text.replace(/\n */g, ' ')).toContain(EN);
      expect(text).toContain('Bye.');
    } finally {
      await db.destroy();
      await database.cleanup();
    }
  });

  it('the CLI says in one line which setting to fix, exit 1', async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = 'postgres://nobody@127.0.0.1:1/none';
    try {
      let stderr = '';
      const io = { stdout: new PassThrough(), stderr: Object.assign(new PassThrough(), { write: (s: string) => ((stderr += s), true) }), stdin: new PassThrough() };
      expect(await cli(['tier'], io as never)).toBe(1);
      expect(stderr).toBe('DATABASE_URL: the PostgreSQL server cannot be reached (connect ECONNREFUSED 127.0.0.1:1); start it, or correct the host and port in DATABASE_URL\n');
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });
});
