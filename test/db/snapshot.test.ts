import { afterEach, describe, expect, it } from 'vitest';
import { listAccounts } from '../../src/db/account.repository.ts';
import { eachAccountSnapshot, loadAccountSnapshot } from '../../src/db/snapshot.repository.ts';
import { defaultRules } from '../../src/domain/rules.ts';
import { actor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

describe('account snapshots', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('loaded a chunk at a time (digests) are the same as loaded one by one (brief, tier)', async () => {
    const t = await tempDb();
    cleanup = t.cleanup;
    const op = await actor(t.db, { today: '2026-11-24' });
    expect((await op.run('demo')).status).toBe('ok');
    const accounts = await listAccounts(t.db);
    expect(accounts.length).toBeGreaterThan(2);
    const batched = [];
    for await (const snapshot of eachAccountSnapshot(t.db, accounts, '2026-11-24', defaultRules)) batched.push(snapshot);
    const single = await Promise.all(accounts.map((a) => loadAccountSnapshot(t.db, a, '2026-11-24', defaultRules)));
    const byId = <T extends { id: number }>(items: T[]) => [...items].sort((a, b) => a.id - b.id);
    const sorted = (s: (typeof single)[number]) => ({ ...s, activities: byId(s.activities), ratings: byId(s.ratings), plans: byId(s.plans) });
    expect(batched.map(sorted)).toEqual(single.map(sorted));
    expect(single.some((s) => s.ratings.length > 0 && s.activities.length > 0)).toBe(true);
  });
});
