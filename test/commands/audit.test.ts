import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditSentence } from '../../commands/audit.ts';
import { en } from '../../src/i18n/en.ts';
import { zhCN } from '../../src/i18n/zh-CN.ts';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

type Entries = { entries: Array<{ actor: string; action: string; text?: string }> };

/** Every audit code the commands write: the quoted `x.y` strings on the lines that call `audit(`. */
function auditCodesInSource(): string[] {
  const codes = new Set<string>();
  const dir = new URL('../../commands/', import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    for (const line of readFileSync(new URL(file, dir), 'utf8').split('\n')) {
      if (!/\baudit\(/.test(line)) continue;
      for (const [, code] of line.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) codes.add(code!);
    }
  }
  return [...codes].sort();
}

describe('audit (who changed what)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('lists every write with its actor, filtered by --since, for admins', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com', today: '2026-11-20' });
    await alice.run('account add Acme --tier priority');
    await alice.run('contact add Tom --account Acme --role user');
    const admin = await actor(t.db);
    const all = await admin.run('audit');
    expect((all.data as Entries).entries.map((e) => [e.actor, e.action])).toEqual([
      ['alice', 'account.create'],
      ['alice', 'contact.create'],
    ]);
    const later = await admin.run('audit --since 2099-01-01');
    expect((later.data as Entries).entries).toEqual([]);
    expect((await admin.run('audit --since soon')).status).toBe('error');
    expect((await alice.run('audit')).data).toEqual({ error: 'access.admin_only' });
  });

  it('reads as sentences in English and Chinese, with names as they are now', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com', today: '2026-11-20' });
    await t.db.updateTable('people').set({ name: 'Alice Chen' }).where('email', '=', 'alice@example.com').execute();
    await alice.run('account add "Acme Telecom" --tier priority');
    await alice.run('contact add "Tom Baker" --account Acme --role user');
    await alice.run('visit Acme --with "Tom Baker" --summary "Pricing review" --next "Send quote; alice@example.com; 2026-12-01"');
    await alice.run('visit Acme --type meal --with "Tom Baker" --summary "Dinner"');
    await alice.run('rate "Tom Baker" supportive');
    await (await actor(t.db, { today: '2026-11-20' })).run('tier-set Acme partner "Framework deal"');
    const admin = await actor(t.db, { today: '2026-11-21' });
    const text = replyText(await admin.run('audit'));
    for (const sentence of [
      'Alice Chen added the account Acme Telecom (Priority)',
      'Alice Chen added Tom Baker as a contact at Acme Telecom',
      'Alice Chen logged a visit at Acme Telecom, 2026-11-20',
      'Alice Chen logged an activity (Dinner / banquet) at Acme Telecom, 2026-11-20',
      'Alice Chen rated Tom Baker at Acme Telecom',
      'moved Acme Telecom from Priority to Partner',
    ]) expect(text).toContain(sentence);
    // No raw codes for a reader.
    expect(text).not.toMatch(/activity\.create|account\.create|#\d/);

    const zh = replyText(await (await actor(t.db, { locale: 'zh-CN' })).run('audit'));
    expect(zh).toContain('Alice Chen于 2026-11-20 记录了对 Acme Telecom 的拜访。');
    expect(zh).toContain('Alice Chen于 2026-11-20 记录了对 Acme Telecom 的宴请。');
    expect(zh).toContain('将 Acme Telecom 由优先客户调整为伙伴客户。');
    expect(zh).not.toMatch(/activity\.create|[,:;()!?]\s*$/m);

    // A renamed account is named as it is now.
    await t.db.updateTable('accounts').set({ name: 'Acme Global' }).execute();
    expect(replyText(await admin.run('audit'))).toContain('Alice Chen logged a visit at Acme Global, 2026-11-20');
  });

  it('does not bring a forgotten contact back', async () => {
    const admin = await actor(t.db);
    await admin.run('account add "Acme Telecom" --tier strategic');
    await admin.run('contact add "Xenia Quorrel" --account Acme --role influencer');
    await admin.run('rate "Xenia Quorrel" coach');
    await admin.run('plan add "Xenia Quorrel" --goal exclusive --by 2027-05-31');
    await admin.run('visit Acme --with "Xenia Quorrel" --summary "Lunch with Xenia Quorrel"');
    expect(replyText(await admin.run('audit'))).toContain('Xenia Quorrel');
    expect((await admin.run('forget contact xenia --account acme --yes')).status).toBe('ok');
    for (const locale of ['en', 'zh-CN'] as const) {
      const reply = await (await actor(t.db, { locale })).run('audit');
      const all = `${replyText(reply)}\n${JSON.stringify(reply.data)}`;
      expect(all).not.toMatch(/Xenia|Quorrel/);
    }
    expect(replyText(await admin.run('audit'))).toMatch(/erased the personal data of Forgotten contact #\d+ at Acme Telecom/);
  });

  it('has a sentence in both languages for every code the commands write, and a readable one for any other', () => {
    const codes = auditCodesInSource();
    // The codes of issue 15's corrections are covered too, ahead of the commands that write them.
    for (const code of [...codes, 'activity.update', 'activity.delete', 'rating.update', 'rating.delete', 'next_step.update', 'next_step.delete']) {
      expect(Object.keys(en), code).toContain(`audit.line.${code}`);
      expect(Object.keys(zhCN), code).toContain(`audit.line.${code}`);
    }
    expect(codes).toEqual(expect.arrayContaining(['activity.create', 'contact.forget', 'tier.change', 'tier.review', 'reminders.on', 'reminders.off', 'demo.load']));
    const line = { at: '2026-11-20T09:00:00.000Z', actor: 'Bob Li', action: 'map.export', entity: 'account', entity_id: 7, detail: null };
    expect(auditSentence('en', line, undefined)).toBe('Bob Li did map.export on account #7');
    expect(auditSentence('zh-CN', line, undefined)).toBe('Bob Li执行了 map.export（account #7）。');
    expect(auditSentence('en', { ...line, actor: null, action: 'activity.delete', entity: 'activity', detail: { account: 'Acme', date: '2026-11-02', type: 'visit' } }, undefined)).toBe(
      'Someone deleted a visit at Acme, 2026-11-02',
    );
  });
});
