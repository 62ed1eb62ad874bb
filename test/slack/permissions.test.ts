import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { FakeSlack, interaction, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';

type Element = Record<string, unknown> & { type: string; action_id: string };
type Block = { type: string; block_id?: string; label?: { text: string }; element?: Element };
type View = { id: string; hash: string; blocks: Block[]; private_metadata: string; callback_id: string };

/**
 * Slack's `view.state.values` for a modal as the person leaves it: every input with
 * what it was opened with, except the ones they changed (by label).
 */
function stateOf(view: View, changes: Record<string, string>): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks.filter((b) => b.type === 'input')) {
    const element = block.element!;
    const changed = block.label!.text in changes ? changes[block.label!.text] : undefined;
    const state: Record<string, unknown> = { type: element.type };
    if (element.type === 'users_select') state.selected_user = changed ?? element.initial_user ?? null;
    else if (element.type === 'static_select' || element.type === 'external_select') state.selected_option = changed ? { value: changed } : element.initial_option ?? null;
    else state.value = changed ?? element.initial_value ?? null;
    values[block.block_id!] = { [element.action_id]: state };
  }
  return values;
}

describe('a role change through a Slack modal, over real HTTP (issue 14)', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let dropDb: () => Promise<void>;
  let url: string;
  let dbUrl: string;

  const accounts = async () => {
    const db = createDb(dbUrl);
    try {
      return await db.selectFrom('accounts').selectAll().execute();
    } finally {
      await db.destroy();
    }
  };
  const auditLines = async () => {
    const db = createDb(dbUrl);
    try {
      return await db.selectFrom('audit_log').select(['id', 'action']).execute();
    } finally {
      await db.destroy();
    }
  };

  /** Opens `/mcr account edit Acme` as this Slack user and returns the modal. */
  async function openEdit(user: string): Promise<View> {
    fake.calls.length = 0;
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account edit Acme', user))).status).toBe(200);
    const [open] = await fake.waitFor('views.open');
    return { ...(open!.body.view as View), id: `V-${user}`, hash: 'h' };
  }

  function submit(user: string, view: View, changes: Record<string, string>) {
    return sendSigned(url, SIGNING_SECRET, interaction({ type: 'view_submission', user: { id: user }, view: { ...view, state: { values: stateOf(view, changes) } } }));
  }

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
    fake.users.set('U2BOB', { name: 'Bob Li', email: 'bob@example.com' });
  });
  beforeEach(async () => {
    const database = await testDatabase();
    dbUrl = database.url;
    dropDb = database.cleanup;
    clearProfileCache();
    const config = loadConfig({ DATABASE_URL: dbUrl, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/` });
    bot = await startBot({ ...config, port: 0 }, memoryLogger(), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
    fake.calls.length = 0;
    // Alice creates Acme and names herself its account manager.
    await sendSigned(url, SIGNING_SECRET, slashCommand(fake, '/mcr', 'account add "Acme Telecom" --tier priority --account-manager alice@example.com', 'U1ALICE'));
    await fake.waitFor('response_url');
  });
  afterEach(async () => {
    await bot.stop();
    await dropDb();
  });
  afterAll(async () => fake.stop());

  it('Bob names himself account manager in the edit modal: refused in the modal, nothing written', async () => {
    const view = await openEdit('U2BOB');
    expect(view.blocks.find((b) => b.label?.text === 'Account manager')!.element!.initial_user).toBe('U1ALICE');
    const before = { accounts: await accounts(), audit: await auditLines() };
    const response = await submit('U2BOB', view, { 'Account manager': 'U2BOB', Industry: 'Telecom' });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: { name: 'You may not change Account manager of Acme Telecom: only an admin or its account manager (Alice Chen) may. Nothing was saved.' },
    });
    expect(await accounts()).toEqual(before.accounts);
    expect(await auditLines()).toEqual(before.audit);
    expect(fake.of('chat.postEphemeral')).toHaveLength(0);
  });

  it('Bob edits a field that is not a role: saved, and the roles the modal was opened with are kept', async () => {
    const view = await openEdit('U2BOB');
    const response = await submit('U2BOB', view, { Industry: 'Telecom' });
    expect(response.json ?? {}).not.toHaveProperty('response_action');
    const [before] = await accounts();
    expect(before).toMatchObject({ industry: 'Telecom', tier: 'priority' });
    expect(before!.account_manager_id).not.toBeNull();
  });

  it('Alice, the manager, hands Acme over to Bob through the same modal; she cannot take it back', async () => {
    const view = await openEdit('U1ALICE');
    const response = await submit('U1ALICE', view, { 'Account manager': 'U2BOB' });
    expect(response.status).toBe(200);
    expect(response.json ?? {}).not.toHaveProperty('response_action');
    const [acme] = await accounts();
    const db = createDb(dbUrl);
    try {
      const bob = await db.selectFrom('people').select('id').where('slack_id', '=', 'U2BOB').executeTakeFirstOrThrow();
      expect(acme!.account_manager_id).toBe(bob.id);
    } finally {
      await db.destroy();
    }
    const again = await submit('U1ALICE', { ...(await openEdit('U1ALICE')), id: 'V-again' }, { 'Account manager': 'U1ALICE' });
    expect(again.json).toMatchObject({ response_action: 'errors', errors: { name: expect.stringContaining('its account manager (Bob Li)') } });
  });
});
