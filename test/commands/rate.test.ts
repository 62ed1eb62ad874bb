import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

describe('rate (§3)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
    const admin = await actor(t.db);
    await admin.run('account add "Acme Telecom" --tier strategic');
    await admin.run('contact add "Tom Baker" --account Acme --role influencer');
  });
  afterEach(async () => t.cleanup());
  const ratings = () => t.db.selectFrom('ratings').select(['acceptance', 'participation', 'project_support', 'information', 'guidance', 'competition', 'date']).orderBy('id').execute();

  it.each([['coach', 3], ['Exclusive supporter', 2], ['教练', 3], ['支持并排他', 2], ['-1', -1], ['neutral', 0]])('a quick rating "%s" is %i on all six dimensions', async (level, value) => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    const reply = await me.run(`rate "Tom Baker" ${level}`);
    expect(reply.status).toBe('ok');
    expect(await ratings()).toEqual([{ acceptance: value, participation: value, project_support: value, information: value, guidance: value, competition: value, date: '2026-11-24' }]);
    expect((reply.data as { attitude: unknown }).attitude).toEqual({ score: value, level: expect.any(String), trend: null });
  });

  it('--dimension rates one dimension only', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    await me.run('rate tom 2 --dimension 信息传递度 --date 2026-11-01');
    expect(await ratings()).toEqual([{ acceptance: null, participation: null, project_support: null, information: 2, guidance: null, competition: null, date: '2026-11-01' }]);
  });

  it('without a level opens the six-dimension form; submitting none is an error and writes nothing', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    const form = (await me.run('rate Tom')).form!;
    expect(form.fields.map((f) => f.id)).toEqual(['acceptance', 'participation', 'project_support', 'information', 'guidance', 'competition', 'date', 'note']);
    expect(form.fields[0]).toMatchObject({ kind: 'choice', label: 'Acceptance', options: expect.arrayContaining([{ value: 'coach', label: '3 · Coach' }]) });
    const empty = await me.submit('rate', { date: '2026-11-24' }, form.context);
    expect(empty).toMatchObject({ status: 'error', form: { errors: { acceptance: 'Rate at least one dimension.' } } });
    const ok = await me.submit('rate', { date: '2026-11-24', acceptance: 'coach', guidance: '1' }, form.context);
    expect(ok.status).toBe('ok');
    expect((ok.data as { attitude: unknown }).attitude).toEqual({ score: 2, level: 'exclusive', trend: null });
    expect(await ratings()).toHaveLength(1);
  });

  it('refuses a future date and an unknown contact, naming them', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    expect((await me.run('rate Tom coach --date 2030-01-01')).data).toMatchObject({ error: 'input.invalid', fields: { date: 'Date: cannot be in the future' } });
    expect((await me.run('rate Nobody coach')).data).toMatchObject({ error: 'name.not_found', kind: 'contact' });
    expect(await ratings()).toEqual([]);
  });
});
