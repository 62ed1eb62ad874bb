import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { en } from '../../src/i18n/index.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { FakeSlack, homeButtonPress, interaction, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';
import { apologyPattern, failInsertsInto } from '../helpers/planted-failure.ts';

type Block = { type: string; block_id?: string; label?: { text: string }; element?: Record<string, unknown>; text?: { text: string } };
type View = { id: string; hash: string; blocks: Block[]; private_metadata: string; callback_id: string };

const APOLOGY = apologyPattern(en['error.unexpected']);
const textOf = (body: Record<string, unknown>) => `${String(body.text ?? '')}\n${JSON.stringify(body.blocks ?? body.view ?? '')}`;

/** The view_submission of the /visit modal with these answers (by block id). */
function visitSubmission(view: View, user: string, answers: { date: string; attendees?: string[] }) {
  const account = view.blocks.find((b) => b.block_id === 'account')!;
  const date = view.blocks.find((b) => b.block_id === 'date')!;
  const type = view.blocks.find((b) => b.block_id === 'type')!;
  const attendees = view.blocks.find((b) => b.block_id === 'attendees')!;
  const summary = view.blocks.find((b) => b.block_id === 'summary')!;
  return interaction({
    type: 'view_submission', user: { id: user },
    view: {
      ...view,
      state: {
        values: {
          account: { [account.element!.action_id as string]: { type: 'static_select', selected_option: { value: (account.element!.initial_option as { value: string }).value } } },
          date: { [date.element!.action_id as string]: { type: 'datepicker', selected_date: answers.date } },
          type: { [type.element!.action_id as string]: { type: 'static_select', selected_option: { value: 'visit' } } },
          // A visit must say something (issue 15): who was met or what was said.
          summary: { [summary.element!.action_id as string]: { type: 'plain_text_input', value: 'Pricing review' } },
          ...(answers.attendees && { attendees: { [attendees.element!.action_id as string]: { type: 'multi_users_select', selected_users: answers.attendees } } }),
        },
      },
    },
  });
}

describe('Slack handlers: validate, ack (with errors), then write and reply; no failure goes unanswered (issue 16 part 6)', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let db: Db;
  let url: string;
  let dropDb: () => Promise<void>;
  const log = memoryLogger();

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
    fake.users.set('U2BOB', { name: 'Bob Li', email: 'bob@example.com' });
  });
  beforeEach(async () => {
    const database = await testDatabase();
    dropDb = database.cleanup;
    fake.calls.length = 0;
    const config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/`, MCR_TIMEZONE: 'Asia/Shanghai' });
    bot = await startBot({ ...config, port: 0 }, log, { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    db = createDb(database.url);
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Acme Telecom" --tier strategic'));
    await fake.waitFor('response_url');
    fake.calls.length = 0;
  });
  afterEach(async () => {
    await db.destroy();
    await bot.stop();
    await dropDb();
  });
  afterAll(async () => fake.stop());

  async function openVisit(): Promise<View> {
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/visit', 'Acme'));
    const [open] = await fake.waitFor('views.open');
    fake.calls.length = 0;
    return { ...(open!.body.view as View), id: `V${Math.random().toString(36).slice(2)}`, hash: 'h1' };
  }

  it('bad input is answered on the form, in the ack, and nothing is written or posted', async () => {
    const view = await openVisit();
    const response = await sendSigned(url, SIGNING_SECRET, visitSubmission(view, 'U1ALICE', { date: '2099-01-01' }));
    expect(response.json).toEqual({ response_action: 'errors', errors: { date: 'Date: cannot be in the future' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    expect(await db.selectFrom('activities').select('id').execute()).toEqual([]);
  });

  it('good input is written, then acked (a 200 means saved), then confirmed', async () => {
    const view = await openVisit();
    const response = await sendSigned(url, SIGNING_SECRET, visitSubmission(view, 'U1ALICE', { date: '2026-11-20' }));
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    // Already committed when the ack arrived: read at once, before the confirmation is awaited.
    expect(await db.selectFrom('activities').select('date').execute()).toEqual([{ date: '2026-11-20' }]);
    await fake.waitFor('chat.postEphemeral');
  });

  it('a visit saved from a form a slash command opened leaves the Home tab alone (it is published fresh when entered)', async () => {
    const view = await openVisit();
    expect((await sendSigned(url, SIGNING_SECRET, visitSubmission(view, 'U1ALICE', { date: '2026-11-20' }))).status).toBe(200);
    await fake.waitFor('chat.postEphemeral');
    // The Home tab would be published right after the confirmation, in the same listener.
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.calls.map((c) => c.method)).not.toContain('views.publish');
  });

  it('a visit saved from a form opened on the Home tab publishes the tab again, which the user is looking at', async () => {
    expect((await sendSigned(url, SIGNING_SECRET, homeButtonPress('visit Acme', 'trigger-home-visit'))).status).toBe(200);
    const [open] = await fake.waitFor('views.open');
    // Pressing a Home button publishes the tab once (as before); the save publishes it again.
    await fake.waitFor('views.publish');
    fake.calls.length = 0;
    const view = { ...(open!.body.view as View), id: 'VHOMEVISIT', hash: 'h1' };
    expect((await sendSigned(url, SIGNING_SECRET, visitSubmission(view, 'U1ALICE', { date: '2026-11-20' }))).status).toBe(200);
    const [published] = await fake.waitFor('views.publish');
    expect(published!.body.user_id).toBe('U1ALICE');
    expect(await db.selectFrom('activities').select('date').execute()).toEqual([{ date: '2026-11-20' }]);
  });

  it('a write failing after validation passed answers on the form with the apology and its reference; nothing is written', async () => {
    const view = await openVisit();
    await failInsertsInto(db, 'activities');
    const response = await sendSigned(url, SIGNING_SECRET, visitSubmission(view, 'U1ALICE', { date: '2026-11-20' }));
    const answer = response.json as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe('errors');
    const ref = APOLOGY.exec(Object.values(answer.errors).join(' '))?.[1];
    expect(ref).toBeTruthy();
    // The reference is the one the log line of the failure carries.
    expect(log.lines.some((l) => l.requestId === ref && l.level !== 'debug')).toBe(true);
    expect(await db.selectFrom('activities').select('id').execute()).toEqual([]);
    expect(await db.selectFrom('submissions').select('key').where('key', 'like', 'slack:view:%').execute()).toEqual([]);
  });

  it('a submission slower than Slack\'s three seconds (a slow profile lookup) is acked in time; its answer follows as a message', async () => {
    const view = await openVisit();
    fake.delayNext('users.info', 4_000);
    const started = Date.now();
    const response = await sendSigned(url, SIGNING_SECRET, visitSubmission(view, 'U1ALICE', { date: '2026-11-20', attendees: ['U1ALICE', 'U2BOB'] }));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    const [confirmation] = await fake.waitFor('chat.postEphemeral', 1, 10_000);
    expect(confirmation!.body).toMatchObject({ channel: 'C1ACME', user: 'U1ALICE' });
    expect(fake.calls.map((c) => c.method)).toContain('users.info (delayed 4000 ms)');
    expect(await db.selectFrom('activity_attendees').select('person_id').execute()).toHaveLength(2);
  });

  it('a profile lookup failing at Slack (users.info) answers a slash command with the apology and its reference', async () => {
    fake.failNext('users.info', { status: 200, error: 'user_not_found' });
    const response = await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'brief Acme', 'U2BOB'));
    expect(response.status).toBe(200);
    const [answer] = await fake.waitFor('response_url');
    expect(textOf(answer!.body)).toMatch(APOLOGY);
    expect(await db.selectFrom('people').select('slack_id').where('slack_id', '=', 'U2BOB').execute()).toEqual([]);
  });

  it('a profile lookup failing on a modal submission answers on the form with the apology, before any write', async () => {
    const view = await openVisit();
    // Bob's profile is not yet known to this bot (Alice's is, from opening the form): it is looked up, and fails.
    fake.failNext('users.info', { status: 200, error: 'user_not_found' });
    const response = await sendSigned(url, SIGNING_SECRET, visitSubmission(view, 'U2BOB', { date: '2026-11-20' }));
    const errors = (response.json as { response_action: string; errors: Record<string, string> }).errors;
    expect((response.json as { response_action: string }).response_action).toBe('errors');
    expect(Object.values(errors).join(' ')).toMatch(APOLOGY);
    expect(await db.selectFrom('activities').select('id').execute()).toEqual([]);
  });

  it('a profile lookup failing when App Home opens shows the apology there, not an empty tab', async () => {
    fake.failNext('users.info', { status: 200, error: 'user_not_found' });
    const event = { token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: 'Ev1', event_time: Math.floor(Date.now() / 1000), event: { type: 'app_home_opened', user: 'U2BOB', channel: 'D1', tab: 'home', event_ts: '1.1' } };
    const response = await sendSigned(url, SIGNING_SECRET, JSON.stringify(event), { contentType: 'application/json' });
    expect(response.status).toBe(200);
    const [published] = await fake.waitFor('views.publish');
    expect(published!.body.user_id).toBe('U2BOB');
    expect(textOf(published!.body)).toMatch(APOLOGY);
  });
});
