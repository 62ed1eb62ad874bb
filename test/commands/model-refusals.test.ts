import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/** What mcr-model.md says makes no sense is refused as input (issue 15 part 9). */
describe('the model refuses what makes no sense', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  const contacts = () => t.db.selectFrom('contacts').select(['name', 'owner_a_id', 'owner_b_id', 'owner_c_id']).orderBy('id').execute();

  it('one person as both owners of a contact (§2), on add, edit and the form, naming the field, in the user’s language', async () => {
    const admin = await actor(t.db);
    await admin.run('account add Acme --tier priority');
    const add = await admin.run('contact add Tom --account Acme --owner-a alice@example.com --owner-b ALICE@example.com');
    expect(add.status).toBe('error');
    expect(replyText(add)).toContain('Owner B: is the same person as Owner A');
    expect(await contacts()).toEqual([]);
    // Nobody was created for the refused edit either.
    expect(await t.db.selectFrom('people').select('email').where('email', '=', 'alice@example.com').execute()).toEqual([]);

    expect((await admin.run('contact add Tom --account Acme --owner-a alice@example.com --owner-b bob@example.com')).status).toBe('ok');
    const before = await contacts();
    const edit = await (await actor(t.db, { locale: 'zh-CN' })).run('contact edit Tom --owner-c bob@example.com');
    expect(edit.status).toBe('error');
    expect(replyText(edit)).toContain('C角：与B角是同一人');
    const opened = await admin.run('contact edit Tom');
    const alice = (await t.db.selectFrom('people').select('id').where('email', '=', 'alice@example.com').executeTakeFirstOrThrow()).id;
    const form = await admin.submit(opened.form!.id, { ...opened.form!.values, owner_b: `#${alice}` }, opened.form!.context);
    expect(form.form?.errors).toEqual({ owner_b: expect.stringContaining('same person as Owner A') });
    expect(await contacts()).toEqual(before);
    // A different person is fine, and so is leaving B empty.
    expect((await admin.run('contact edit Tom --owner-b -')).status).toBe('ok');
  });

  it('tier --json gives a suggested tier only when it differs from the current one (§1)', async () => {
    const admin = await actor(t.db);
    // (0.5·5 + 0.2·5 + 0.3·5 − 1) / 4 = 100 → strategic; (0.5·1 + 0.2·1 + 0.3·1 − 1) / 4 = 0 → general.
    await admin.run('account add Acme --tier strategic --contribution 5 --credit 5 --potential 5');
    await admin.run('account add Globex --tier strategic --contribution 1 --credit 1 --potential 1');
    const same = (await admin.run('tier Acme')).data as { tier: string; suggestedTier: string | null; valueScore: number };
    expect(same).toMatchObject({ tier: 'strategic', suggestedTier: null, valueScore: 100 });
    const differs = (await admin.run('tier Globex')).data as { suggestedTier: string | null; valueScore: number };
    expect(differs).toMatchObject({ suggestedTier: 'general', valueScore: 0 });
  });
});
