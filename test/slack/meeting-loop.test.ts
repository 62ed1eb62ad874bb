import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { addDays, todayIn } from '../../src/domain/dates.ts';
import { zonedInstant } from '../../src/domain/schedule.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { sendMeetingLoop } from '../../src/scheduler/jobs/send-meeting-loop.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { createSlackPoster } from '../../src/slack/post.ts';
import { commandIndex, memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { FakeSlack, interaction, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';

type Element = { type: string; action_id: string; value?: string; text: { text: string } };
type Block = { type: string; block_id?: string; label?: { text: string }; element?: Record<string, unknown>; elements?: Element[] };
type View = { blocks: Block[]; private_metadata: string; callback_id: string; title: { text: string } };
const buttonsOf = (body: Record<string, unknown>): Element[] => (body.blocks as Block[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : [])).filter((e) => e.type === 'button');

/** Issue 18 part 2 in Slack: the prompt's Log visit button opens the visit modal prefilled from the plan; saving it logs once. */
describe('the meeting loop in Slack', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let url: string;
  let db: Db;
  let config: Config;

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
  });
  beforeEach(async () => {
    const database = await testDatabase();
    dropDb = database.cleanup;
    fake.calls.length = 0;
    clearProfileCache();
    config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`, MCR_TIMEZONE: 'Asia/Shanghai' });
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    db = createDb(database.url);
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Acme Telecom" --tier strategic'));
    await fake.waitFor('response_url');
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'contact add "Tom Baker" --account Acme --role influencer'));
    await fake.waitFor('response_url', 2);
    fake.calls.length = 0;
  });
  afterEach(async () => {
    await db.destroy();
    await bot.stop();
    await dropDb();
  });
  afterAll(async () => fake.stop());

  it('DMs the brief and the prompt; Log visit opens the prefilled modal; submitting it logs one visit and marks the plan logged', async () => {
    // The bot runs on the real clock: the meeting is tomorrow, the job is run at its times.
    const day = addDays(todayIn('Asia/Shanghai', new Date()), 1);
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', `visit plan Acme ${day} 14:00 --with Tom --purpose "Pricing review"`));
    await fake.waitFor('response_url');
    const plan = await db.selectFrom('planned_visits').selectAll().executeTakeFirstOrThrow();
    fake.calls.length = 0;

    const deps = { db, config, log: memoryLogger(), commands: commandIndex, outbox: { slack: createSlackPoster(config) }, instance: 'a' };
    await sendMeetingLoop(deps, zonedInstant(day, '09:00', 'Asia/Shanghai'));
    await sendMeetingLoop(deps, zonedInstant(day, '16:00', 'Asia/Shanghai'));
    const dms = await fake.waitFor('chat.postMessage', 2);
    expect(dms.map((m) => m.body.channel)).toEqual(['U1ALICE', 'U1ALICE']);
    expect(JSON.stringify(dms[0]!.body.blocks)).toContain('Your meeting today');
    // The morning brief carries its power map, as a typed brief does: uploaded into the owner's DM.
    const [uploaded] = await fake.waitFor('files.completeUploadExternal');
    expect(uploaded!.body.channel_id).toBe('D1ALICE');
    expect(String(dms[1]!.body.text)).toContain('How did the meeting at Acme Telecom go?');
    const log = buttonsOf(dms[1]!.body).find((b) => b.text.text === 'Log visit')!;
    expect(log.value).toBe(`visit log #${plan.id}`);

    fake.calls.length = 0;
    await sendSigned(url, SIGNING_SECRET, interaction({
      type: 'block_actions', user: { id: 'U1ALICE' }, trigger_id: 'press-1', response_url: `${fake.url}/response/press-1`, channel: { id: 'D1ALICE' },
      actions: [{ type: 'button', action_id: log.action_id, block_id: 'b', value: log.value }],
    }));
    const [open] = await fake.waitFor('views.open');
    const view = open!.body.view as View;
    expect(view.title.text).toBe('Log a visit');
    const field = (label: string) => view.blocks.find((b) => b.label?.text === label)!;
    expect(field('Purpose').element!.initial_value).toBe('Pricing review');
    expect(field('Summary').element!.initial_value).toBe('Pricing review: ');
    expect(JSON.stringify(field('Contacts met').element)).toContain('Tom Baker');

    const state: Record<string, Record<string, unknown>> = {};
    for (const block of view.blocks.filter((b) => b.type === 'input')) {
      const element = block.element!;
      const value =
        element.initial_option ? { selected_option: element.initial_option } :
        element.initial_options ? { selected_options: element.initial_options } :
        element.initial_date ? { selected_date: element.initial_date } :
        element.initial_users ? { selected_users: element.initial_users } :
        { value: element.initial_value ?? null };
      state[block.block_id!] = { [element.action_id as string]: { type: element.type, ...value } };
    }
    const submit = () => sendSigned(url, SIGNING_SECRET, interaction({ type: 'view_submission', user: { id: 'U1ALICE' }, view: { ...view, id: 'V1', hash: 'h', state: { values: state } } }));
    expect((await submit()).status).toBe(200);
    expect((await submit()).status).toBe(200);
    await fake.waitFor('chat.postEphemeral').catch(() => fake.waitFor('chat.postMessage'));
    expect(await db.selectFrom('activities').select('summary').execute()).toEqual([{ summary: 'Pricing review:' }]);
    expect(await db.selectFrom('planned_visits').select('status').executeTakeFirstOrThrow()).toEqual({ status: 'logged' });
  });
});
