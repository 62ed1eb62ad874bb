import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { actor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

const rendered = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/core/powermap-png.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/powermap-png.ts')>();
  return { ...real, svgToPng: (...args: Parameters<typeof real.svgToPng>) => (rendered.count++, real.svgToPng(...args)) };
});

/** `brief` renders no picture itself (issue 18 part 1, performance): only the adapter's call of `png` does. */
describe('brief draws its picture lazily', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
    const admin = await actor(t.db);
    await admin.run('account add "Acme Telecom" --account-manager alice@example.com');
    await admin.run('contact add "Tom Baker" --account Acme --position A --role decision_maker');
  });
  afterEach(async () => t.cleanup());

  it('runLine returns the brief without rendering; calling the thunk renders once', async () => {
    rendered.count = 0;
    const reply = await (await actor(t.db)).run('brief Acme');
    expect(reply.image).toBeDefined();
    expect(rendered.count).toBe(0);
    await reply.image!.png();
    expect(rendered.count).toBe(1);
  });
});
