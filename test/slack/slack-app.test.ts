import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { FakeSlack, interaction, markupLeaks, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';

type Block = { type: string; block_id?: string; label?: { text: string }; element?: Record<string, unknown>; elements?: Array<Record<string, unknown>>; text?: { text: string }; fields?: Array<{ text: string }> };
type View = { id: string; hash: string; blocks: Block[]; private_metadata: string; callback_id: string; title: unknown; submit: unknown; close: unknown };

/** The input block whose label is `label`. */
function input(view: View, label: string): Block {
  const block = view.blocks.find((b) => b.type === 'input' && b.label?.text === label);
  if (!block) throw new Error(`no input labelled "${label}"; labels: ${view.blocks.map((b) => b.label?.text).filter(Boolean).join(' | ')}`);
  return block;
}

/** Fills inputs by label, as a person would, into Slack's `view.state.values` shape. */
function fill(view: View, answers: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [label, answer] of Object.entries(answers)) {
    const block = input(view, label);
    const element = block.element!;
    const type = element.type as string;
    const state: Record<string, unknown> = { type };
    if (type === 'datepicker') state.selected_date = answer;
    else if (type === 'static_select' || type === 'external_select') state.selected_option = { value: answer };
    else if (type === 'multi_static_select' || type === 'multi_external_select') state.selected_options = (answer as string[]).map((value) => ({ value }));
    else if (type === 'users_select') state.selected_user = answer;
    else if (type === 'multi_users_select') state.selected_users = answer;
    else state.value = answer;
    values[block.block_id!] = { [element.action_id as string]: state };
  }
  return values;
}

const allText = (blocks: Block[]) =>
  blocks.map((b) => [b.text?.text, ...(b.fields ?? []).map((f) => f.text), ...(b.elements ?? []).map((e) => (e.text as { text?: string } | undefined)?.text ?? e.text)].filter(Boolean).join('\n')).join('\n');

describe('the Slack app over real HTTP with real signatures', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let url: string;
  let dbUrl: string;
  const log = memoryLogger();

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
    fake.users.set('U2BOB', { name: 'Bob Li', email: 'bob@example.com' });
    fake.users.set('U3WANG', { name: '王芳', email: 'wang@example.com', locale: 'zh-CN' });
  });
  beforeEach(async () => {
    const database = await testDatabase();
    dbUrl = database.url;
    dropDb = database.cleanup;
    fake.calls.length = 0;
    clearProfileCache();
    const config = loadConfig({ DATABASE_URL: dbUrl, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`, MCR_TIMEZONE: 'Asia/Shanghai' });
    // Port 0: any free port.
    bot = await startBot({ ...config, port: 0 }, log, { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    // Seed with the CLI's own commands through the database the bot uses.
    const seed = await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Acme Telecom" --tier strategic'));
    expect(seed.status).toBe(200);
    await fake.waitFor('response_url');
    for (const name of ['Tom Baker', 'Priya Nair']) {
      await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', `contact add "${name}" --account Acme --role influencer`));
    }
    await fake.waitFor('response_url', 3);
    fake.calls.length = 0;
  });
  afterEach(async () => {
    await bot.stop();
    await dropDb();
  });
  afterAll(async () => fake.stop());

  it('answers /healthz', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('/visit: opens the modal, adds a next step row, submits, writes once and confirms', async () => {
    const command = slashCommand(fake, '/visit', 'acme');
    const ack = await sendSigned(url, SIGNING_SECRET, command);
    expect(ack.status).toBe(200);
    const [open] = await fake.waitFor('views.open');
    expect(open!.body.trigger_id).toBe(new URLSearchParams(command).get('trigger_id'));
    let view = { ...(open!.body.view as View), id: 'V1', hash: 'h1' };
    expect((input(view, 'Account').element!.initial_option as { text: { text: string } }).text.text).toBe('Acme Telecom');
    expect(input(view, 'Date').element!.initial_date).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()));
    expect(input(view, 'Our attendees').element!.initial_users).toEqual(['U1ALICE']);

    // The contacts list follows the account: a block_suggestion answers with its contacts.
    const suggestion = await sendSigned(url, SIGNING_SECRET, interaction({
      type: 'block_suggestion', user: { id: 'U1ALICE' }, action_id: input(view, 'Contacts met').element!.action_id, block_id: 'contacts', value: 'pr',
      view: { ...view, state: { values: fill(view, { Account: (view.blocks[0]!.element!.initial_option as { value: string }).value }) } },
    }), { contentType: 'application/x-www-form-urlencoded' });
    expect(suggestion.json).toEqual({ options: [{ text: { type: 'plain_text', text: 'Priya Nair' }, value: expect.stringMatching(/^#\d+$/) }] });
    const priya = ((suggestion.json!.options as Array<{ value: string }>)[0]!).value;

    // "Add next step" updates the view with a second row.
    const addRow = view.blocks.find((b) => b.block_id === 'add:next_steps')!;
    await sendSigned(url, SIGNING_SECRET, interaction({ type: 'block_actions', user: { id: 'U1ALICE' }, trigger_id: 't2', view, actions: [{ ...(addRow.elements![0] as object), block_id: 'add:next_steps', type: 'button' }] }));
    const [update] = await fake.waitFor('views.update');
    view = { ...(update!.body.view as View), id: 'V1', hash: 'h2' };
    expect(input(view, 'Next step 2 · What')).toBeTruthy();

    const accountValue = (input(view, 'Account').element!.initial_option as { value: string }).value;
    const submission = interaction({
      type: 'view_submission', user: { id: 'U1ALICE' },
      view: {
        ...view,
        state: {
          values: fill(view, {
            Account: accountValue, Date: '2026-11-20', Type: 'exchange', 'Contacts met': [priya], 'Our attendees': ['U1ALICE', 'U2BOB'],
            Summary: 'Migration plan agreed',
            'Next step 1 · What': 'Send quote', 'Next step 1 · Owner': 'U2BOB', 'Next step 1 · Due': '2026-12-01',
            'Next step 2 · What': 'Book lab visit', 'Next step 2 · Due': '2026-12-10',
          }),
        },
      },
    });
    const submitted = await sendSigned(url, SIGNING_SECRET, submission);
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    const [confirmation] = await fake.waitFor('chat.postEphemeral');
    expect(confirmation!.body).toMatchObject({ channel: 'C1ACME', user: 'U1ALICE' });
    expect(allText(confirmation!.body.blocks as Block[])).toContain('Send quote — Bob Li — 2026-12-01');

    // A double click (the same view submitted again) writes nothing more and posts nothing more.
    expect((await sendSigned(url, SIGNING_SECRET, submission)).status).toBe(200);
    const db = createDb(dbUrl);
    try {
      const activities = await db.selectFrom('activities').select(['date', 'type', 'summary']).execute();
      expect(activities).toEqual([{ date: '2026-11-20', type: 'exchange', summary: 'Migration plan agreed' }]);
      const steps = await db.selectFrom('next_steps').innerJoin('people', 'people.id', 'next_steps.owner_id').select(['text', 'due_on', 'people.email']).orderBy('next_steps.id').execute();
      expect(steps).toEqual([
        { text: 'Send quote', due_on: '2026-12-01', email: 'bob@example.com' },
        { text: 'Book lab visit', due_on: '2026-12-10', email: 'alice@example.com' },
      ]);
      expect(await db.selectFrom('activity_attendees').select('person_id').execute()).toHaveLength(2);
    } finally {
      await db.destroy();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.of('chat.postEphemeral')).toHaveLength(1);
  });

  it('a validation error comes back on its field and nothing is written', async () => {
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/visit', 'Acme'));
    const [open] = await fake.waitFor('views.open');
    const view = { ...(open!.body.view as View), id: 'V9', hash: 'h' };
    const accountValue = (input(view, 'Account').element!.initial_option as { value: string }).value;
    const response = await sendSigned(url, SIGNING_SECRET, interaction({
      type: 'view_submission', user: { id: 'U1ALICE' },
      view: { ...view, state: { values: fill(view, { Account: accountValue, Date: '2099-01-01', Type: 'visit' }) } },
    }));
    expect(response.json).toEqual({ response_action: 'errors', errors: { date: 'Date: cannot be in the future' } });
    const db = createDb(dbUrl);
    try {
      expect(await db.selectFrom('activities').select('id').execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('choosing another account redraws the modal: what was typed is kept, contacts picked from the old account are dropped', async () => {
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add Globex --tier general'));
    await fake.waitFor('response_url');
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/visit', 'acme'));
    const [open] = await fake.waitFor('views.open');
    const view = { ...(open!.body.view as View), id: 'V7', hash: 'h7' };
    const db = createDb(dbUrl);
    let globex: string;
    let tom: string;
    try {
      globex = `#${(await db.selectFrom('accounts').select('id').where('name', '=', 'Globex').executeTakeFirstOrThrow()).id}`;
      tom = `#${(await db.selectFrom('contacts').select('id').where('name', '=', 'Tom Baker').executeTakeFirstOrThrow()).id}`;
    } finally {
      await db.destroy();
    }
    const state = { values: fill(view, { Account: globex, 'Contacts met': [tom], Summary: 'Kept as typed' }) };
    const account = input(view, 'Account');
    await sendSigned(url, SIGNING_SECRET, interaction({
      type: 'block_actions', user: { id: 'U1ALICE' }, trigger_id: 't7', view: { ...view, state },
      actions: [{ type: 'external_select', action_id: account.element!.action_id, block_id: 'account', selected_option: { value: globex } }],
    }));
    const [update] = await fake.waitFor('views.update');
    expect(update!.body.view_id).toBe('V7');
    const redrawn = update!.body.view as View;
    expect((input(redrawn, 'Account').element!.initial_option as { text: { text: string } }).text.text).toBe('Globex');
    expect(input(redrawn, 'Summary').element!.initial_value).toBe('Kept as typed');
    const contacts = input(redrawn, 'Contacts met');
    expect(contacts.block_id).toBe('contacts~1');
    expect(contacts.element!.initial_options).toBeUndefined();
    expect(JSON.parse(redrawn.private_metadata)).toMatchObject({ f: 'visit', v: 1 });
  });

  it('a bad or old signature gets 401 and touches nothing', async () => {
    const body = slashCommand(fake, '/mcr', 'account add Evil');
    expect((await sendSigned(url, SIGNING_SECRET, body, { signature: 'v0=deadbeef' })).status).toBe(401);
    expect((await sendSigned(url, SIGNING_SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.calls).toEqual([]);
    const db = createDb(dbUrl);
    try {
      expect(await db.selectFrom('accounts').select('name').execute()).toEqual([{ name: 'Acme Telecom' }]);
    } finally {
      await db.destroy();
    }
  });

  it('a retried slash command writes once', async () => {
    const body = slashCommand(fake, '/mcr', 'account add "Retry Inc" --tier general');
    await sendSigned(url, SIGNING_SECRET, body);
    await sendSigned(url, SIGNING_SECRET, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    await fake.waitFor('response_url', 2);
    const db = createDb(dbUrl);
    try {
      expect(await db.selectFrom('accounts').select('name').where('name', '=', 'Retry Inc').execute()).toHaveLength(1);
    } finally {
      await db.destroy();
    }
  });

  it('/brief answers ephemerally with a Share button; sharing posts it in the channel', async () => {
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/brief', 'acme'));
    const [reply] = await fake.waitFor('response_url');
    expect(reply!.body.response_type).toBe('ephemeral');
    const blocks = reply!.body.blocks as Block[];
    expect(allText(blocks)).toContain('Decision chain');
    const share = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'share')!;
    expect(share.value).toMatch(/^brief #\d+$/);
    await sendSigned(url, SIGNING_SECRET, interaction({ type: 'block_actions', user: { id: 'U1ALICE' }, trigger_id: 't3', response_url: `${fake.url}/response/share`, channel: { id: 'C1ACME' }, actions: [{ ...share, block_id: 'b' }] }));
    const posted = await fake.waitFor('response_url', 2);
    expect(posted[1]!.body).toMatchObject({ response_type: 'in_channel' });
  });

  it('shows a name as written, never as a ping, a link or formatting: blocks, fallback text and Share in channel (issue 14)', async () => {
    const evil = '<!channel> <http://evil|Acme> & *bold*';
    // Slack sends a slash command's text with &, < and > encoded.
    const typed = evil.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', `account add "${typed}" --tier general`));
    const [added] = await fake.waitFor('response_url');
    expect(added!.body.response_type).toBe('ephemeral');
    const db = createDb(dbUrl);
    try {
      expect((await db.selectFrom('accounts').select('name').where('tier', '=', 'general').executeTakeFirstOrThrow()).name).toBe(evil);
    } finally {
      await db.destroy();
    }
    fake.calls.length = 0;
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/brief', `"${typed}"`));
    const [reply] = await fake.waitFor('response_url');
    const escaped = '&lt;!channel&gt; &lt;http://evil|Acme&gt; &amp; *bold*';
    expect(reply!.body.text).toContain(escaped);
    expect(markupLeaks(reply!.body)).toEqual([]);
    expect(JSON.stringify(reply!.body.blocks)).toContain(JSON.stringify(evil).slice(1, -1));
    const share = (reply!.body.blocks as Block[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'share')!;
    await sendSigned(url, SIGNING_SECRET, interaction({ type: 'block_actions', user: { id: 'U1ALICE' }, trigger_id: 't4', response_url: `${fake.url}/response/share`, channel: { id: 'C1ACME' }, actions: [{ ...share, block_id: 'b' }] }));
    const shared = (await fake.waitFor('response_url', 2))[1]!;
    expect(shared.body).toMatchObject({ response_type: 'in_channel' });
    expect(shared.body.text).toContain(escaped);
    expect(markupLeaks(shared.body)).toEqual([]);
    // The one who shared is the bot's own mention, still a mention.
    expect(JSON.stringify(shared.body.blocks)).toContain('<@U1ALICE>');
  });

  it('refuses a name with a control character from a slash command and a modal, and writes nothing (issue 14)', async () => {
    // Typed with flags: the form comes back with the name kept, to be fixed.
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Nul\u0000Co" --tier general'));
    const [open] = await fake.waitFor('views.open');
    const view = { ...(open!.body.view as View), id: 'V7', hash: 'h' };
    expect(input(view, 'Name').element!.initial_value).toBe('Nul\u0000Co');
    const response = await sendSigned(url, SIGNING_SECRET, interaction({
      type: 'view_submission', user: { id: 'U1ALICE' },
      view: { ...view, state: { values: fill(view, { Name: 'Acme\u202Egnp.exe', Tier: 'general' }) } },
    }));
    expect(response.json).toEqual({ response_action: 'errors', errors: { name: 'Name: cannot hold control or invisible characters (such as NUL, a tab or line break, or a text-direction mark)' } });
    const db = createDb(dbUrl);
    try {
      expect((await db.selectFrom('accounts').select('name').execute()).map((a) => a.name)).toEqual(['Acme Telecom']);
    } finally {
      await db.destroy();
    }
  });

  it('an unknown name answers with the closest matches as buttons', async () => {
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/brief', 'Acme Telekom'));
    const [reply] = await fake.waitFor('response_url');
    const buttons = (reply!.body.blocks as Block[]).flatMap((b) => b.elements ?? []).filter((e) => String(e.action_id).startsWith('run:'));
    // Rebuilt from the parsed command: the candidate replaces the name typed, quoted.
    expect(buttons.map((b) => b.value)).toEqual(['brief "Acme Telecom"']);
  });

  it('speaks Chinese to a user whose Slack locale is Chinese', async () => {
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/tier', 'acme', 'U3WANG'));
    const [reply] = await fake.waitFor('response_url');
    expect(allText(reply!.body.blocks as Block[])).toContain('战略客户');
  });

  it('an account with 300 contacts still briefs within Slack limits', async () => {
    const db = createDb(dbUrl);
    try {
      const account = await db.selectFrom('accounts').select('id').executeTakeFirstOrThrow();
      await db.insertInto('contacts').values(Array.from({ length: 300 }, (_, i) => ({
        account_id: account.id, name: `Contact ${i} with a rather long name`, name_key: `contact${i}witharatherlongname`, role: i % 2 ? 'influencer' : 'user', position: 'B', created_on: '2026-01-01', updated_at: '2026-01-01',
      }))).execute();
    } finally {
      await db.destroy();
    }
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/brief', 'acme'));
    const [reply] = await fake.waitFor('response_url');
    const blocks = reply!.body.blocks as Block[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks) if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    expect(allText(blocks)).toContain('Contact 299 with a rather long name');
  });

  it('publishes App Home when it is opened', async () => {
    const event = JSON.stringify({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event: { type: 'app_home_opened', user: 'U1ALICE', channel: 'D1', tab: 'home' }, event_id: 'Ev1', event_time: 1 });
    await sendSigned(url, SIGNING_SECRET, event, { contentType: 'application/json' });
    const [publish] = await fake.waitFor('views.publish');
    expect(publish!.body.user_id).toBe('U1ALICE');
    expect(allText((publish!.body.view as View).blocks)).toContain('Next steps assigned to me');
  });

  it('retries a 429 from Slack after Retry-After', async () => {
    fake.failNext('views.publish', { status: 429, retryAfter: 1 });
    const event = JSON.stringify({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event: { type: 'app_home_opened', user: 'U1ALICE', channel: 'D1', tab: 'home' }, event_id: 'Ev2', event_time: 1 });
    await sendSigned(url, SIGNING_SECRET, event, { contentType: 'application/json' });
    await fake.waitFor('views.publish', 1, 15_000);
    expect(fake.calls.map((c) => c.method)).toContain('views.publish (failed 429)');
  });
});
