import { afterEach, describe, expect, it } from 'vitest';
import { runLine } from '../../src/core/dispatch.ts';
import type { Reply } from '../../src/core/reply.ts';
import type { Poster } from '../../src/core/outbox.ts';
import { startScheduler } from '../../src/scheduler/scheduler.ts';
import { commandIndex, actor, memoryLogger, testConfig } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

describe('the scheduler', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('runs the due jobs at start-up and on each tick with its clock, sends once, and stops after the run in progress', async () => {
    const t = await tempDb();
    cleanup = t.cleanup;
    const op = await actor(t.db, { today: '2026-11-20' });
    await op.run('account add Acme --tier strategic');
    expect((await runLine({ ...op.ctx, channel: { platform: 'slack', id: 'C1' } }, 'digest subscribe weekly monday 09:00 UTC')).status).toBe('ok');
    const sent: Array<{ channel: string; reply: Reply }> = [];
    const poster = { toChannel: async (channel: string, reply: Reply) => (sent.push({ channel, reply }), 1), toPerson: async () => false } satisfies Poster;
    let now = new Date('2026-11-23T08:59:00Z');
    const scheduler = startScheduler({ db: t.db, config: testConfig(), log: memoryLogger(), commands: commandIndex, outbox: { slack: poster }, instance: 'test' }, () => now);
    await scheduler.tick();
    expect(sent).toEqual([]);
    now = new Date('2026-11-23T09:00:00Z');
    await scheduler.tick();
    await scheduler.tick();
    await scheduler.stop();
    expect(sent.map((s) => s.channel)).toEqual(['C1']);
    expect(sent[0]!.reply.title).toBe('Weekly digest · 2026-11-16 – 2026-11-22');
  });
});
