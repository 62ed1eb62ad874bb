import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { FakeSlack, interaction, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';

type Block = { type: string; block_id?: string; label?: { text: string }; element?: Record<string, unknown>; text?: { text: string }; fields?: Array<{ text: string }>; elements?: unknown[] };
type View = { id: string; hash: string; blocks: Block[]; private_metadata: string; callback_id: string };

/** Fills inputs by label into Slack's `view.state.values` shape, as a person would. */
function fill(view: View, answers: Record<string, string>): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [label, answer] of Object.entries(answers)) {
    const block = view.blocks.find((b) => b.type === 'input' && b.label?.text === label);
    if (!block) throw new Error(`no input labelled "${label}"`);
    const element = block.element!;
    const type = element.type as string;
    values[block.block_id!] = { [element.action_id as string]: type === 'static_select' ? { type, selected_option: { value: answer } } : { type, value: answer } };
  }
  return values;
}

/** §11 `dept set` in Slack: the modal from the form model, submitted over signed HTTP against the fake Slack. */
describe('dept set in Slack', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let url: string;
  let dbUrl: string;

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
  });
  beforeEach(async () => {
    const database = await testDatabase();
    dbUrl = database.url;
    dropDb = database.cleanup;
    fake.calls.length = 0;
    clearProfileCache();
    const config = loadConfig({ DATABASE_URL: dbUrl, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`, MCR_TIMEZONE: 'Asia/Shanghai' });
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Acme Telecom" --account-manager alice@example.com'));
    await fake.waitFor('response_url');
    fake.calls.length = 0;
  });
  afterEach(async () => {
    await bot.stop();
    await dropDb();
  });
  afterAll(async () => fake.stop());

  it('opens the modal, refuses a bad target on its field, then records once however often it is submitted', async () => {
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'dept set Acme Operations'))).status).toBe(200);
    const [open] = await fake.waitFor('views.open');
    const view = { ...(open!.body.view as View), id: 'VDEPT', hash: 'h1' };
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.label!.text)).toEqual([
      'Department', 'Target activities', 'Support for key events', 'Information channel open', 'Major incident spread',
    ]);
    expect(view.blocks[0]!.element!.initial_value).toBe('Operations');

    const submit = (answers: Record<string, string>) =>
      sendSigned(url, SIGNING_SECRET, interaction({ type: 'view_submission', user: { id: 'U1ALICE' }, view: { ...view, state: { values: fill(view, answers) } } }));
    const answers = { Department: 'Operations', 'Target activities': '4', 'Support for key events': 'smooth', 'Information channel open': 'yes', 'Major incident spread': 'no' };

    const bad = await submit({ ...answers, 'Target activities': '-1' });
    expect(bad.json).toEqual({ response_action: 'errors', errors: { target: 'Target activities: must be at least 1' } });

    const ok = await submit(answers);
    expect(ok.status).toBe(200);
    const [confirmation] = await fake.waitFor('chat.postEphemeral');
    // No activity yet: process 0/4 = 0; result 25 + 30 + 20 = 75; combined 0 + 52.5 → 53
    expect(JSON.stringify(confirmation!.body.blocks)).toContain('Operations: 53 (process 0, result 75)');
    expect((await submit(answers)).status).toBe(200);

    const db = createDb(dbUrl);
    try {
      expect(await db.selectFrom('department_scores').select(['department', 'target', 'support', 'channel_open', 'incident_spread']).execute()).toEqual([
        { department: 'Operations', target: 4, support: 'smooth', channel_open: 1, incident_spread: 0 },
      ]);
      expect(await db.selectFrom('audit_log').select('action').where('action', '=', 'department.set').execute()).toHaveLength(1);
    } finally {
      await db.destroy();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.of('chat.postEphemeral')).toHaveLength(1);
  });
});
