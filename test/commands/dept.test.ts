import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/** §11 department scores through the dispatcher, as typed in the console, on this run's engine. */
describe('dept (§11)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
    const admin = await actor(t.db);
    await admin.run('account add "Acme Telecom" --tier priority --account-manager alice@example.com --delivery-manager dave@example.com');
    await admin.run('contact add "Tom Baker" --account Acme --department Operations');
    await admin.run('contact add "Priya Nair" --account Acme --department " OPERATIONS "');
    await admin.run('contact add "Li Na" --account Acme --department 采购部');
    // In the 90 days up to 2026-11-24 (from 2026-08-27): two with Operations, one with both, one before the period.
    await admin.run('visit Acme --with "Tom Baker; Priya Nair" --date 2026-11-20 --summary a');
    await admin.run('visit Acme --with "Li Na; Tom Baker" --date 2026-08-27 --summary b');
    await admin.run('visit Acme --with "Tom Baker" --date 2026-08-26 --summary c');
  });
  afterEach(async () => t.cleanup());
  const rows = () => t.db.selectFrom('department_scores').select(['department', 'department_key', 'target', 'support', 'channel_open', 'incident_spread']).orderBy('id').execute();
  const audits = () => t.db.selectFrom('audit_log').select(['action', 'entity']).where('action', 'like', 'department.%').execute();

  it('records with one-line flags and shows hand-computed scores, 30/70 then 20/80', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com' });
    const set = await alice.run('dept set Acme Telecom operations --target 3 --support smooth --channel-open yes --incident no --json');
    expect(set.status).toBe('ok');
    // process 2/3 = 66.67; result 0.5·50 + 0.3·100 + 0.2·100 = 75; combined 0.3·66.67 + 0.7·75 = 72.5 → 73
    expect(set.data).toMatchObject({ weighting: '30_70', department: { name: 'operations', activities: 2, target: 3, process: 67, result: 75, combined: 73, missing: [] } });
    expect(await rows()).toEqual([{ department: 'operations', department_key: 'operations', target: 3, support: 'smooth', channel_open: 1, incident_spread: 0 }]);
    expect(await audits()).toEqual([{ action: 'department.set', entity: 'account' }]);

    const shown = await alice.run('dept acme --json');
    expect(shown.data).toMatchObject({
      account: { name: 'Acme Telecom' }, weighting: '30_70', period_start: '2026-08-27', period_end: '2026-11-24',
      departments: [
        { name: 'operations', recorded: true, contacts: 2, activities: 2, process: 67, result: 75, combined: 73, support: 'smooth', channel_open: true, incident_spread: false },
        // A contact's department not scored yet: listed with everything missing.
        { name: '采购部', recorded: false, contacts: 1, activities: 1, process: null, result: null, combined: null, missing: ['target', 'support', 'channel_open', 'incident'] },
      ],
    });

    expect(replyText(shown)).toContain('采购部 | 1/— | — | — | — | target, support, channel, incident');
    expect((await alice.run('dept weighting Acme 20/80')).status).toBe('ok');
    // 0.2·66.67 + 0.8·75 = 13.33 + 60 = 73.33 → 73; result with the channel closed: 25 + 0 + 20 = 45 → 0.2·66.67 + 0.8·45 = 49.33 → 49
    await alice.run('dept set Acme Operations --channel-open no');
    const after = await alice.run('dept Acme');
    expect(after.data).toMatchObject({ weighting: '20_80', departments: [{ name: 'operations', target: 3, result: 45, combined: 49 }, { name: '采购部' }] });
    expect(replyText(after)).toContain('20 % process + 80 % result');
    expect(replyText(after)).toContain('operations | 2/3 | 67 | 45 | 49 | —');
  });

  it('is shown in brief and tier only for accounts that record it', async () => {
    const admin = await actor(t.db);
    await admin.run('account add Globex');
    expect((await admin.run('brief Acme --json')).data).not.toHaveProperty('departments');
    expect(replyText(await admin.run('tier Acme'))).not.toContain('Department scores');
    await admin.run('dept set Acme 采购部 --target 2 --support supports_decisions --channel-open yes --incident yes');
    // process 1/2 = 50; result 50 + 30 + 0 = 80; combined 15 + 56 = 71
    for (const command of ['brief', 'tier']) {
      const reply = await admin.run(`${command} Acme`);
      expect(replyText(reply)).toContain('Department scores (30 % process + 70 % result)\n采购部: 71 (process 50, result 80)');
      expect((reply.data as { departments: unknown }).departments).toMatchObject({ departments: [{ name: '采购部', combined: 71 }] });
    }
    expect((await admin.run('tier Globex --json')).data).not.toHaveProperty('departments');
  });

  it('in Chinese, with Chinese labels for the values', async () => {
    const admin = await actor(t.db, { locale: 'zh-CN' });
    const reply = await admin.run('dept set Acme 采购部 --target 2 --support 合作顺畅支撑关键决策 --channel-open 是 --incident 否');
    expect(reply.status).toBe('ok');
    // process 1/2 = 50; result 100; combined 0.3·50 + 0.7·100 = 15 + 70 = 85
    expect(replyText(reply)).toContain('采购部：85（过程 50，结果 100）');
    expect(replyText(await admin.run('dept Acme'))).toContain('过程 30% + 结果 70%');
    const bad = await admin.run('dept set Acme 采购部 --target -1');
    expect(replyText(bad)).toContain('目标活动次数');
  });

  it('refuses bad input naming the field, in both languages, and writes nothing', async () => {
    const admin = await actor(t.db);
    // A value of the wrong type is refused by the command's grammar (a usage error naming the flag and its valid values)…
    for (const [line, flag] of [['dept set Acme Operations --support great', 'support'], ['dept set Acme Operations --target lots', 'target'], ['dept set Acme Operations --channel-open maybe', 'channel-open']] as const) {
      const reply = await admin.run(line);
      expect(reply.status, line).toBe('error');
      expect(reply.data, line).toMatchObject({ error: 'usage.bad_value', flag });
    }
    expect(replyText(await admin.run('dept set Acme Operations --support great'))).toContain('friction, smooth, supports_decisions');
    // …and a value the right type but out of range, or a missing department, by the command, naming the field.
    const cases: Array<[string, string, string]> = [
      ['dept set Acme Operations --target -2', 'target', 'Target activities: must be at least 1'],
      ['dept set Acme --target 3', 'department', 'Department: is required'],
    ];
    for (const [line, field, message] of cases) {
      const reply = await admin.run(line);
      expect(reply.status, line).toBe('error');
      expect(reply.data, line).toMatchObject({ error: 'input.invalid', fields: { [field]: message } });
    }
    const zh = await actor(t.db, { locale: 'zh-CN' });
    expect(replyText(await zh.run('dept set Acme Operations --support great'))).toContain('合作顺畅不支撑');
    expect((await admin.run('dept weighting Acme 50/50')).data).toMatchObject({ fields: { weighting: 'Weighting: must be one of: 30/70, 20/80' } });
    expect(await rows()).toEqual([]);
    expect(await t.db.selectFrom('department_weightings').selectAll().execute()).toEqual([]);
    expect(await audits()).toEqual([]);
  });

  it('only the account team and admins may record; a retried submission writes once', async () => {
    const bob = await actor(t.db, { as: 'bob@example.com' });
    const refused = await bob.run('dept set Acme Operations --target 3');
    expect(refused.status).toBe('error');
    expect(replyText(refused)).toContain('only its account team');
    expect(await rows()).toEqual([]);

    // The delivery manager is on the team; in chat, no flags opens the form.
    const dave = await actor(t.db, { as: 'dave@example.com', submissionKey: 'slack:view:V1' });
    const opened = await dave.run('dept set Acme Operations');
    expect(opened.form).toMatchObject({ id: 'dept.set', values: { department: 'Operations' } });
    expect(opened.form!.fields.map((f) => f.id)).toEqual(['department', 'target', 'support', 'channel_open', 'incident']);
    const values = { department: 'Operations', target: '4', support: 'supports_decisions', channel_open: 'yes', incident: 'no' };
    const first = await dave.submit('dept.set', values, opened.form!.context);
    const again = await dave.submit('dept.set', values, opened.form!.context);
    expect(first.status).toBe('ok');
    expect(again.replayed).toBe(true);
    expect(await rows()).toEqual([{ department: 'Operations', department_key: 'operations', target: 4, support: 'supports_decisions', channel_open: 1, incident_spread: 0 }]);
    expect(await audits()).toHaveLength(1);

    // The form opens on what is recorded; a bad value comes back on its field.
    const edit = await dave.run('dept set Acme operations');
    expect(edit.form!.values).toMatchObject({ department: 'Operations', target: '4', support: 'supports_decisions', channel_open: 'yes', incident: 'no' });
    const bobForm = await bob.submit('dept.set', values, opened.form!.context);
    expect(bobForm.status).toBe('error');
  });
});
