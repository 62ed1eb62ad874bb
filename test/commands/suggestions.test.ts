import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action, Reply } from '../../src/core/reply.ts';
import { actor, replyText, type TestActor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

const buttons = (reply: Reply): Action[] => reply.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));

describe('suggestions are rebuilt from the parsed command (issue 15)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let me: TestActor;
  let tom: number;
  beforeAll(async () => {
    t = await tempDb();
    me = await actor(t.db);
    expect((await me.run('demo')).status).toBe('ok');
    tom = (await t.db.selectFrom('contacts').select('id').where('name', '=', 'Tom Baker').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => t.cleanup());

  it.each([
    ['tier e', ['tier "Acme Telecom"']],
    ['breif "Acme Telecom"', ['brief "Acme Telecom"', 'help']],
    ['visit Acme --whith "Tom Baker" --summary "Pricing, \'final\'"', [`visit Acme --with "Tom Baker" --summary "Pricing, 'final'"`, 'help visit']],
    ['account edit Acme --regoin APAC', ['account edit Acme --region APAC', 'help account']],
    ['tier-set Acme platinum "Big deal"', ['tier-set Acme strategic "Big deal"', 'tier-set Acme partner "Big deal"', 'tier-set Acme priority "Big deal"', 'tier-set Acme general "Big deal"', 'help tier-set']],
    ['rate "Tom Baker" coachh --date 2026-11-20', ['rate "Tom Baker" coach --date 2026-11-20', 'help rate']],
    ['remind of', ['remind off', 'remind on', 'help remind']],
  ])('%s offers exactly the faulty part replaced: %j', async (line, expected) => {
    const reply = await me.run(line);
    expect(reply.status).toBe('error');
    expect(buttons(reply).map((a) => a.command)).toEqual(expected);
  });

  it('a contact that matches nothing offers the close ones by #id in place of the name, flags kept', async () => {
    const reply = await me.run('rate "Tom Bakr" coach --date 2026-11-20');
    expect(buttons(reply).map((a) => a.command)).toEqual([`rate #${tom} coach --date 2026-11-20`]);
    const inList = await me.run('brief --contact "Tom Bakr"');
    expect(buttons(inList).map((a) => a.command)).toEqual([`brief --contact #${tom}`]);
  });

  it('pressing each offered button runs a valid command', async () => {
    const slips = ['tier e', 'breif Acme', 'visit Acme --whith "Tom Baker" --summary "Pricing"', 'account edit Acme --regoin APAC', 'tier-set Acme platinum "Big deal"', 'rate Tom 7', 'rate "Tom Bakr" coach', 'remind of', 'digest preview --tier strategc', 'asdf', 'visit Acme --with'];
    let pressed = 0;
    for (const slip of slips) {
      const reply = await me.run(slip);
      expect(reply.status, slip).toBe('error');
      for (const action of buttons(reply)) {
        const result = await me.run(action.command);
        expect(result.status, `${slip} → ${action.command}: ${replyText(result)}`).toBe('ok');
        pressed++;
      }
    }
    expect(pressed).toBeGreaterThan(20);
  });

  it('a command missing its subject opens a picker; the pick runs the command with the rest of the line', async () => {
    const picker = await me.run('rate --date 2026-11-20');
    expect(picker.form).toMatchObject({ id: 'rate.pick', fields: [{ id: 'subject', kind: 'lookup', source: 'contact', required: true }] });
    const rating = await me.submit('rate.pick', { subject: `#${tom}` }, picker.form!.context);
    // The contact is known now: the six-dimension form, with the date given on the line.
    expect(rating.form).toMatchObject({ id: 'rate', context: { contact: String(tom) }, values: { date: '2026-11-20' } });
    expect(await me.submit('rate.pick', {}, picker.form!.context)).toMatchObject({ status: 'error', data: { error: 'input.invalid' } });

    const brief = await me.run('brief');
    expect(brief.form).toMatchObject({ id: 'brief.pick', fields: [{ source: 'account' }] });
    const opened = await me.submit('brief.pick', { subject: '#1' }, brief.form!.context);
    expect(opened.status).toBe('ok');
    expect((opened.data as { account: { id: number } }).account.id).toBe(1);

    expect((await me.run('review')).form).toMatchObject({ id: 'review.pick' });
  });

  it('help <command> lists its flags with their values, in the user\'s language', async () => {
    expect(replyText(await me.run('help visit'))).toContain('[--stage lead|opportunity|contract|collection]');
    expect(replyText(await me.run('help tier-set'))).toContain('tier-set <account>');
    const zh = await (await actor(t.db, { locale: 'zh-CN' })).run('help account');
    expect(replyText(zh)).toContain('--tier 战略客户|伙伴客户|优先客户|一般客户');
    // --help on any command is its help.
    expect((await me.run('rate --help')).title).toBe('rate');
  });
});
