import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/command.ts';
import { accountsInScope, buildDigest, digestParts, digestReply, periodEnding, type Digest, type DigestPart } from '../../src/core/digest.ts';
import type { Db } from '../../src/db/create-db.ts';
import { loadDemo } from '../../src/demo/sample.ts';
import { actor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/** Every item of every section, as comparable text, in a stable order. */
const items = (digests: Digest[]) =>
  digests
    .flatMap((d) => Object.entries(d.sections).flatMap(([section, list]) => (list as unknown[]).map((item) => `${section} ${JSON.stringify(item)}`)))
    .sort();
/** The accounts a digest's sections name. */
const accountsNamed = (d: Digest) => new Set(Object.values(d.sections).flatMap((list) => (list as Array<{ account: { id: number } }>).map((item) => item.account.id)));

describe('a digest streamed in parts (issue 19)', () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let ctx: Context;
  const period = periodEnding('2026-11-24', 'weekly');
  const collect = async (size: number) => {
    const parts: DigestPart[] = [];
    for await (const part of digestParts(ctx, { kind: 'all' }, period, size)) parts.push(part);
    return parts;
  };

  beforeEach(async () => {
    ({ db, cleanup } = await tempDb());
    const op = await actor(db, { today: '2026-11-24' });
    ctx = op.ctx;
    await loadDemo(db, ctx.actor.id, '2026-11-24', new Date('2026-11-24T10:00:00Z'));
  });
  afterEach(async () => cleanup());

  it('is exactly the digest built at once when the scope fits in one part', async () => {
    const whole = await buildDigest(ctx, await accountsInScope(ctx, { kind: 'all' }), period);
    const parts = await collect(1_000);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.digest).toEqual(whole.digest);
    expect(parts[0]!.parts).toBe(1);
    expect(digestReply(ctx, parts[0]!)).toEqual(digestReply(ctx, whole));
  });

  it('covers at most a part of accounts at a time, in name order, with the same items as the digest built at once', async () => {
    const all = await accountsInScope(ctx, { kind: 'all' });
    expect(all.length).toBeGreaterThan(2);
    const whole = await buildDigest(ctx, all, period);
    const parts = await collect(2);
    expect(parts.map((p) => `${p.part}/${p.parts}`)).toEqual(Array.from({ length: Math.ceil(all.length / 2) }, (_, i) => `${i + 1}/${Math.ceil(all.length / 2)}`));
    const names = new Map(all.map((a, i) => [a.id, i]));
    for (const [i, part] of parts.entries()) {
      // Each part names only its own two accounts of the name-ordered list.
      for (const id of accountsNamed(part.digest)) expect(Math.floor(names.get(id)! / 2)).toBe(i);
    }
    expect(items(parts.map((p) => p.digest))).toEqual(items([whole.digest]));
    expect(items([whole.digest]).length).toBeGreaterThan(0);
  });

  it('builds a part only when the one before has been taken', async () => {
    let queries = 0;
    const counting = new Proxy(db, {
      get(target, key, receiver) {
        if (key === 'selectFrom') queries++;
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const parts = digestParts({ ...ctx, db: counting }, { kind: 'all' }, period, 2);
    await parts.next();
    const afterFirst = queries;
    // Nothing more is read until the next part is asked for.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(queries).toBe(afterFirst);
    await parts.next();
    expect(queries).toBeGreaterThan(afterFirst);
    await parts.return(undefined);
  });

  it('titles each part with its place among the parts, in both languages', async () => {
    const parts = await collect(2);
    expect(digestReply(ctx, parts[1]!).title).toBe(`Weekly digest · 2026-11-17 – 2026-11-23 (part 2 of ${parts.length})`);
    expect(digestReply({ ...ctx, locale: 'zh-CN' }, parts[0]!).title).toBe(`每周摘要 · 2026-11-17 – 2026-11-23（第 1 部分，共 ${parts.length} 部分）`);
  });
});
