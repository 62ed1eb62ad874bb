import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

describe('forget contact (erasure on request)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
    const admin = await actor(t.db);
    await admin.run('account add "Acme Telecom" --tier strategic');
    await admin.run('contact add "Xenia Quorrel" --account Acme --position A --role influencer --title CTO --birthday 1979-03-14 --notes "Xenia Quorrel likes jazz"');
    await admin.run('contact add "Bo Lind" --account Acme --role user --notes "Reports to Xenia Quorrel"');
    await admin.run('rate "Xenia Quorrel" coach --note "Xenia Quorrel sponsored the pilot"');
    await admin.run('visit Acme --with "Xenia Quorrel; Bo Lind" --summary "Lunch with Xenia Quorrel" --next "Send Xenia Quorrel the deck; ; 2026-12-01"');
  });
  afterEach(async () => t.cleanup());

  /** Every text value in every table, as the database stores it. */
  async function everyText(): Promise<string[]> {
    const tables = await t.db.introspection.getTables();
    const values: string[] = [];
    for (const { name } of tables) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(t.db);
      for (const row of rows.rows) for (const v of Object.values(row)) if (typeof v === 'string') values.push(v);
    }
    return values;
  }

  it('leaves no trace of the name in any text column, and keeps counts and attitudes', async () => {
    expect((await everyText()).some((v) => v.includes('Xenia Quorrel'))).toBe(true);
    const reply = await (await actor(t.db)).run('forget contact xenia --account acme');
    expect(reply.status).toBe('ok');
    expect((await everyText()).filter((v) => v.includes('Xenia') || v.includes('Quorrel'))).toEqual([]);
    const contact = await t.db.selectFrom('contacts').selectAll().where('name', 'like', 'Forgotten contact%').executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ birthday: null, birth_year: null, notes: null, title: null, role: 'influencer' });
    expect(await t.db.selectFrom('ratings').select(['acceptance', 'note']).where('contact_id', '=', contact.id).execute()).toEqual([{ acceptance: 3, note: null }]);
    expect(await t.db.selectFrom('activity_contacts').select('contact_id').execute()).toHaveLength(2);
    const brief = await (await actor(t.db)).run('brief Acme --json');
    expect((brief.data as { contacts: Array<{ name: string; attitude: { level: string } | null }> }).contacts).toContainEqual(
      expect.objectContaining({ name: `Forgotten contact #${contact.id}`, attitude: expect.objectContaining({ level: 'coach' }) }),
    );
    const line = await t.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'contact.forget').executeTakeFirstOrThrow();
    expect(line).toEqual({ action: 'contact.forget', entity_id: contact.id });
  });

  it('is for admins only', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com' });
    expect((await alice.run('forget contact xenia --account acme')).data).toEqual({ error: 'access.admin_only' });
    expect(await t.db.selectFrom('contacts').select('name').where('name', '=', 'Xenia Quorrel').execute()).toHaveLength(1);
  });
});
