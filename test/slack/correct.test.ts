import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { FakeSlack, interaction, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';

type Element = { type: string; action_id: string; value?: string; style?: string; text: { text: string } };
type Block = { type: string; block_id?: string; label?: { text: string }; element?: Record<string, unknown>; elements?: Element[]; text?: { text: string } };
type View = { blocks: Block[]; private_metadata: string; callback_id: string; title: unknown; submit: unknown; close: unknown };

/** The buttons of a message the app sent. */
const buttonsOf = (body: Record<string, unknown>): Element[] => (body.blocks as Block[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : [])).filter((e) => e.type === 'button');
const textOf = (body: Record<string, unknown>) =>
  (body.blocks as Block[]).map((b) => (b.type === 'context' ? (b.elements as unknown as Array<{ text: string }>).map((e) => e.text).join(' ') : (b.text?.text ?? ''))).join('\n');

describe('correct and undo in Slack, over real HTTP with real signatures', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let url: string;
  let db: Db;

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
    fake.users.set('U2BOB', { name: 'Bob Li', email: 'bob@example.com' });
  });
  beforeEach(async () => {
    const database = await testDatabase();
    dropDb = database.cleanup;
    fake.calls.length = 0;
    clearProfileCache();
    const config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`, MCR_TIMEZONE: 'Asia/Shanghai' });
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

  /** Presses a button of a message, as `user`; returns what the app answered through the response URL. */
  let presses = 0;
  async function press(button: Element, user = 'U1ALICE'): Promise<void> {
    presses++;
    const response = await sendSigned(url, SIGNING_SECRET, interaction({
      type: 'block_actions', user: { id: user }, trigger_id: `press-${presses}`, response_url: `${fake.url}/response/press-${presses}`, channel: { id: 'C1ACME' },
      actions: [{ type: 'button', action_id: button.action_id, block_id: 'b', value: button.value }],
    }));
    expect(response.status).toBe(200);
  }
  const button = (body: Record<string, unknown>, label: string) => {
    const found = buttonsOf(body).find((b) => b.text.text === label);
    if (!found) throw new Error(`no button "${label}": ${buttonsOf(body).map((b) => b.text.text).join(', ')}`);
    return found;
  };
  const summaries = async () => (await db.selectFrom('activities').select('summary').execute()).map((a) => a.summary);

  it('a visit logged, edited in its modal, deleted after confirming, and its deletion undone once though Undo was pressed twice', async () => {
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/visit', 'acme --with "Tom Baker" --summary "Pricing review"'));
    const [logged] = await fake.waitFor('response_url');
    expect(buttonsOf(logged!.body).map((b) => b.text.text)).toEqual(['Undo', 'Edit', 'Delete', 'Open brief']);
    expect(button(logged!.body, 'Undo').value).toMatch(/^undo [0-9a-f]{10}$/);

    // Edit opens the visit modal prefilled; saving it changes the visit.
    fake.calls.length = 0;
    await press(button(logged!.body, 'Edit'));
    const [open] = await fake.waitFor('views.open');
    const view = open!.body.view as View;
    expect((view.title as { text: string }).text).toMatch(/^Edit visit #\d+$/);
    const summary = view.blocks.find((b) => b.label?.text === 'Summary')!;
    expect(summary.element!.initial_value).toBe('Pricing review');
    expect(view.blocks.some((b) => b.block_id?.startsWith('next_steps'))).toBe(false);
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
    state[summary.block_id!] = { [summary.element!.action_id as string]: { type: 'plain_text_input', value: 'Pricing review, corrected' } };
    const submitted = await sendSigned(url, SIGNING_SECRET, interaction({ type: 'view_submission', user: { id: 'U1ALICE' }, view: { ...view, id: 'V1', hash: 'h', state: { values: state } } }));
    expect(submitted.status).toBe(200);
    const [edited] = await fake.waitFor('chat.postEphemeral');
    expect(textOf(edited!.body)).toContain('You can undo this for 10 minutes');
    expect(await summaries()).toEqual(['Pricing review, corrected']);
    expect(await db.selectFrom('activity_contacts').select('contact_id').execute()).toHaveLength(1);

    // Bob may not delete Alice's visit.
    fake.calls.length = 0;
    await press(button(logged!.body, 'Delete'), 'U2BOB');
    const [refused] = await fake.waitFor('response_url');
    expect(textOf(refused!.body)).toContain('Only Alice Chen (who recorded visit');

    // Alice: Delete asks first, with a danger button that runs it.
    fake.calls.length = 0;
    await press(button(logged!.body, 'Delete'));
    const [ask] = await fake.waitFor('response_url');
    expect(textOf(ask!.body)).toContain('Are you sure you want to delete visit');
    const yes = button(ask!.body, 'Yes, do it');
    expect(yes).toMatchObject({ style: 'danger', value: expect.stringMatching(/^visit delete #\d+ --yes$/) });
    expect(await summaries()).toHaveLength(1);
    fake.calls.length = 0;
    await press(yes);
    const [deleted] = await fake.waitFor('response_url');
    expect(await summaries()).toEqual([]);

    // Undo, pressed twice: the visit is back once.
    fake.calls.length = 0;
    const undo = button(deleted!.body, 'Undo');
    await press(undo);
    await press(undo);
    const answers = await fake.waitFor('response_url', 2);
    const texts = answers.map((a) => textOf(a.body));
    expect(texts).toHaveLength(2);
    expect(texts.filter((text) => text.startsWith('Already undone'))).toHaveLength(1);
    expect(texts.filter((text) => text.includes(':white_check_mark: Undone: the deletion of visit'))).toHaveLength(1);
    expect(await summaries()).toEqual(['Pricing review, corrected']);
    expect((await db.selectFrom('audit_log').select('action').where('action', '=', 'activity.undo').execute())).toHaveLength(1);
  });
});
