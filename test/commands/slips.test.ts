import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenize } from '../../src/core/args.ts';
import { loadConfig } from '../../src/config.ts';
import { runConsole } from '../../src/console/console.ts';
import { tableCounts } from '../../src/db/copy.ts';
import { createDb, migrateToLatest, type Db } from '../../src/db/create-db.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearProfileCache } from '../../src/slack/people.ts';
import { actor, commandIndex, memoryLogger, testConfig } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { FakeSlack, interaction, sendSigned, SIGNING_SECRET, slashCommand } from '../helpers/fake-slack.ts';

import { runMcr, unwrapped } from '../helpers/process.ts';

/**
 * Slips a new user makes, per command (issue 15): each is refused with the exact error
 * key and a message naming the fault, and nothing is written — in the console, the CLI
 * (exit 2) and Slack (signed HTTP), which share one grammar.
 */
const SLIPS: Array<[line: string, key: string, says: string]> = [
  // misspelt flags
  ['visit Acme --whith "Tom Baker" --sumary "Pricing"', 'usage.unknown_flag', 'visit has no flag --whith. Did you mean: --with?'],
  ['account edit Acme --regoin APAC', 'usage.unknown_flag', 'account has no flag --regoin. Did you mean: --region?'],
  ['review Tom --progres "Better"', 'usage.unknown_flag', 'review has no flag --progres. Did you mean: --progress?'],
  ['brief Acme --contakt Tom', 'usage.unknown_flag', 'brief has no flag --contakt. Did you mean: --contact?'],
  // a flag without its value
  ['visit Acme --with', 'usage.missing_value', '--with needs a value'],
  ['rate Tom coach --date', 'usage.missing_value', '--date needs a value: a date as YYYY-MM-DD.'],
  ['tier-set Acme', 'usage.missing_value', 'tier needs a value: one of: strategic, partner, priority, general.'],
  // a value of the wrong type
  ['visit Acme --with "Tom Baker" --date 2026-02-30', 'usage.bad_value', '--date: “2026-02-30” is not valid; it takes a date as YYYY-MM-DD.'],
  ['account edit Acme --potential high', 'usage.bad_value', '--potential: “high” is not valid; it takes a number.'],
  // an empty subject (no picker in these, or none in the CLI: the table's lines have none)
  ['done', 'usage.missing_subject', 'done needs the next step or #id.'],
  ['holiday add', 'usage.missing_subject', 'holiday needs the holiday name and date.'],
  ['account', 'usage.missing_sub', 'account needs one of: add, edit, show.'],
  // a wrong level
  ['rate Tom 7', 'usage.bad_value', 'level: “7” is not valid; it takes one of: opposed (-1), neutral (0), supportive (1), exclusive (2), coach (3).'],
  ['plan add Tom --goal friendly', 'usage.bad_value', '--goal: “friendly” is not valid; it takes one of: opposed (-1)'],
  // an unknown value
  ['tier-set Acme platinum "Big deal"', 'usage.bad_value', 'tier: “platinum” is not valid; it takes one of: strategic, partner, priority, general.'],
  ['visit Acme --with "Tom Baker" --type lunch', 'usage.bad_value', '--type: “lunch” is not valid; it takes one of: visit, exchange, meal,'],
  ['visit Acme --summary "Talked" --stage closing', 'usage.bad_value', '--stage: “closing” is not valid; it takes one of: lead, opportunity, contract, collection.'],
  ['rate Tom coach --dimension charm', 'usage.bad_value', '--dimension: “charm” is not valid; it takes one of: acceptance, participation,'],
  ['contact add Zed --account Acme --role boss', 'usage.bad_value', '--role: “boss” is not valid; it takes one of: decision_maker, influencer,'],
  ['digest subscribe --tier platinum', 'usage.bad_value', '--tier: “platinum” is not valid'],
  ['remind sometimes', 'usage.unknown_sub', 'remind has no “sometimes”; it takes on, off.'],
  ['account ad Zed', 'usage.unknown_sub', 'account has no “ad”; it takes add, edit, show. Did you mean: add?'],
  // recording nothing
  ['visit Acme --date 2026-11-20', 'usage.nothing_to_record', 'Nothing to record: give at least --with or --summary.'],
];

/** Every table's row count but `people` (a channel adds the person acting on first contact). */
async function counts(db: Db): Promise<Record<string, number>> {
  const { people: _, ...rest } = await tableCounts(db);
  return rest;
}

async function demoDatabase(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const database = await testDatabase();
  const db = createDb(database.url);
  await migrateToLatest(db);
  expect((await (await actor(db)).run('demo')).status).toBe('ok');
  await db.destroy();
  return database;
}

describe('slips are refused with the error that names them, and write nothing', () => {
  let database: { url: string; cleanup: () => Promise<void> };
  let db: Db;
  let before: Record<string, number>;
  beforeAll(async () => {
    database = await demoDatabase();
    db = createDb(database.url);
    before = await counts(db);
  });
  afterAll(async () => {
    await db.destroy();
    await database.cleanup();
  });

  it('in the console', async () => {
    const log = memoryLogger();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const input = Readable.from([`${[...SLIPS.map(([line]) => line), 'exit'].join('\n')}\n`]);
    await runConsole({ db, config: testConfig({ databaseUrl: database.url }), log, commands: commandIndex }, { input, output });
    const codes = log.lines.filter((l) => l.msg === 'command').map((l) => l.code);
    expect(codes).toEqual(SLIPS.map(([, key]) => key));
    for (const [, , says] of SLIPS) expect(unwrapped(text)).toContain(unwrapped(says));
    expect(await counts(db)).toEqual(before);
  });

  it('in the console, a command missing its subject asks for it, then goes on', async () => {
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const input = Readable.from([['rate --date 2026-11-20', 'Tom Baker', 'cancel', 'exit'].join('\n') + '\n']);
    await runConsole({ db, config: testConfig({ databaseUrl: database.url }), log: memoryLogger(), commands: commandIndex }, { input, output });
    expect(text).toContain('rate: which contact?');
    expect(text).toMatch(/\[\d+\] Tom Baker · Acme Telecom/);
    expect(text).toContain('Rate Tom Baker');
    expect(text).toContain('Cancelled; nothing was saved.');
    expect(await counts(db)).toEqual(before);
  });

  it.each(SLIPS)('in the CLI: mcr %s → %s, exit 2', async (line, key, says) => {
    const result = await runMcr(tokenize(line), { DATABASE_URL: database.url, LOG_LEVEL: 'debug' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const logged = result.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg?: string; code?: string }).find((l) => l.msg === 'command');
    expect(logged?.code).toBe(key);
    expect(unwrapped(result.stderr)).toContain(unwrapped(says));
    expect(await counts(db)).toEqual(before);
  });

  it('in the CLI too, a command it does not have is a usage error naming the closest, in Chinese under --lang zh-CN', async () => {
    const en = await runMcr(['rat', 'Tom', 'coach'], { DATABASE_URL: database.url });
    expect(en.code).toBe(2);
    expect(unwrapped(en.stderr)).toContain(unwrapped('There is no command “rat”. Type help to see them all. Did you mean: rate'));
    const zh = await runMcr(['rate', 'Tom', '7', '--lang', 'zh-CN'], { DATABASE_URL: database.url });
    expect(zh.code).toBe(2);
    expect(unwrapped(zh.stderr)).toContain(unwrapped('态度等级：“7”无效，应为以下之一：不认可（-1）、中立（0）、支持（1）、支持并排他（2）、教练（3）。'));
    const asOf = await runMcr(['tier', '--as-of', 'yesterday', '--lang', 'zh-CN'], { DATABASE_URL: database.url });
    expect(asOf).toMatchObject({ code: 2, stdout: '' });
    expect(unwrapped(asOf.stderr)).toContain(unwrapped('--as-of：“yesterday”无效，应为日期，格式为 YYYY-MM-DD。'));
    expect((await runMcr([], { DATABASE_URL: database.url, MCR_LANGUAGE: 'zh-CN' })).stderr).toContain('用法：mcr <命令>');
    // The operator's own commands are as strict.
    const copy = await runMcr(['copy', '--too', 'postgres://x/y'], { DATABASE_URL: database.url });
    expect(copy.code).toBe(2);
    expect(unwrapped(copy.stderr)).toContain(unwrapped('copy has no flag --too. Did you mean: --to?'));
    expect((await runMcr(['import', 'accounts', 'none.csv', '--dry-run'], { DATABASE_URL: database.url })).stderr).toContain('import has no flag --dry-run.');
    expect(await counts(db)).toEqual(before);
  });

  describe('in Slack, through signed HTTP', () => {
    let fake: FakeSlack;
    let bot: RunningBot;
    const log = memoryLogger();
    beforeAll(async () => {
      fake = await new FakeSlack().start();
      fake.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
      clearProfileCache();
      const config = loadConfig({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${fake.url}/api/` });
      bot = await startBot({ ...config, port: 0 }, log, { scheduler: false });
    });
    afterAll(async () => {
      await bot.stop();
      await fake.stop();
    });

    it.each(SLIPS)('/mcr %s → %s', async (line, key, says) => {
      fake.calls.length = 0;
      log.lines.length = 0;
      await sendSigned(`http://127.0.0.1:${bot.port}`, SIGNING_SECRET, slashCommand(fake, '/mcr', line));
      const [reply] = await fake.waitFor('response_url');
      expect(reply!.body.text).toContain(says);
      expect(log.lines.find((l) => l.msg === 'command')?.code).toBe(key);
      expect(await counts(db)).toEqual(before);
    });

    type View = { id: string; hash: string; private_metadata: string; blocks: Array<{ type: string; block_id?: string; element?: { action_id: string; type: string } }> };
    it('/rate alone opens a contact picker; picking turns the modal into the rating form', async () => {
      fake.calls.length = 0;
      const app = `http://127.0.0.1:${bot.port}`;
      await sendSigned(app, SIGNING_SECRET, slashCommand(fake, '/rate', ''));
      const [open] = await fake.waitFor('views.open');
      const view = open!.body.view as View;
      expect(JSON.parse(view.private_metadata)).toMatchObject({ f: 'rate.pick' });
      const field = view.blocks.find((b) => b.type === 'input')!;
      expect(field.element!.type).toBe('external_select');
      const tom = (await db.selectFrom('contacts').select('id').where('name', '=', 'Tom Baker').executeTakeFirstOrThrow()).id;
      const state = { values: { [field.block_id!]: { [field.element!.action_id]: { type: 'external_select', selected_option: { value: `#${tom}` } } } } };
      const response = await sendSigned(app, SIGNING_SECRET, interaction({ type: 'view_submission', user: { id: 'U1ALICE' }, view: { ...view, id: 'V1', state } }));
      expect(response.json).toMatchObject({ response_action: 'update' });
      const next = (response.json as { view: View }).view;
      expect(JSON.parse(next.private_metadata)).toMatchObject({ f: 'rate', c: { contact: String(tom) } });
      expect(await counts(db)).toEqual(before);
    });

    it('pressing an offered button runs the command it shows (the one write of this file)', async () => {
      fake.calls.length = 0;
      const app = `http://127.0.0.1:${bot.port}`;
      await sendSigned(app, SIGNING_SECRET, slashCommand(fake, '/rate', 'Tom 7'));
      const [reply] = await fake.waitFor('response_url');
      const offered = (reply!.body.blocks as Array<{ elements?: Array<{ action_id: string; value: string }> }>).flatMap((b) => b.elements ?? []).filter((e) => e.action_id.startsWith('run:'));
      expect(offered.map((e) => e.value)).toEqual(['rate Tom opposed', 'rate Tom neutral', 'rate Tom supportive', 'rate Tom exclusive', 'rate Tom coach', 'help rate']);
      const coach = offered.find((e) => e.value === 'rate Tom coach')!;
      fake.calls.length = 0;
      await sendSigned(app, SIGNING_SECRET, interaction({ type: 'block_actions', user: { id: 'U1ALICE' }, trigger_id: 't1', response_url: `${fake.url}/response/press`, channel: { id: 'C1ACME' }, actions: [{ ...coach, type: 'button', block_id: 'b' }] }));
      const [answer] = await fake.waitFor('response_url');
      expect(answer!.body.text).toContain('Rating of Tom Baker recorded');
      expect((await counts(db)).ratings).toBe(before.ratings! + 1);
    });
  });
});
