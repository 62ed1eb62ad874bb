import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/** brief and tier open on one account header (src/core/account-header.ts); brief and account show name the same people. */
describe('the account header of brief and tier', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('same title, private, facts first; the people facts are those of account show', async () => {
    const me = await actor(t.db, { as: 'alice@example.com' });
    await me.run('account add Acme --tier partner --account-manager alice@example.com --sponsor david@example.com');
    const [brief, tier, shown] = [await me.run('brief Acme'), await me.run('tier Acme'), await me.run('account show Acme')];
    for (const reply of [brief, tier]) {
      expect(reply.title).toBe('Acme · Partner');
      expect(reply.visibility).toBe('private');
      expect(reply.blocks[0]!.type).toBe('fields');
    }
    const facts = (reply: typeof brief) => (reply.blocks[0] as { fields: Array<{ label: string; value: string }> }).fields;
    expect(facts(brief)).toEqual([
      { label: 'Account manager', value: 'alice' },
      { label: 'Solution manager', value: '—' },
      { label: 'Delivery manager', value: '—' },
      { label: 'Executive sponsor', value: 'david' },
    ]);
    expect(facts(shown)).toEqual(expect.arrayContaining(facts(brief)));
    expect(facts(tier)[0]!.label).toBe('Tier');
  });
});
