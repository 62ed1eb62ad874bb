import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { contextFor } from '../../src/core/context.ts';
import { runLine } from '../../src/core/dispatch.ts';
import type { Reply } from '../../src/core/reply.ts';
import type { Db } from '../../src/db/create-db.ts';
import { ensureLocalPerson } from '../../src/db/person.repository.ts';
import { actor, commandIndex, memoryLogger, replyText, testConfig } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/**
 * Every example in every command's `help` works on the demo as written (issue 15 part 6):
 * each on its own database, freshly loaded with `demo` (itself an example, so it runs on an
 * empty one), typed by the console's operator. A form that an example with flags opens is
 * submitted as the CLI submits it; one without flags opening its form is the example working.
 * `digest subscribe` is typed in the channel that should get the digest, so the digest's
 * examples run as from a Slack channel.
 */
describe('help examples on the demo', () => {
  const examples = commands.flatMap((c) => c.examples.map((line) => [c.name, line] as const));

  it('every command has examples', () => {
    for (const c of commands) expect(c.examples.length, c.name).toBeGreaterThan(0);
  });

  it.each(examples)('%s: %s', async (name, line) => {
    const t = await tempDb();
    try {
      const operator = await actor(t.db, { today: '2026-11-24' });
      if (name !== 'demo') expect((await operator.run('demo')).status).toBe('ok');
      let reply: Reply = name === 'digest' ? await runInChannel(t.db, line) : await operator.run(line);
      if (reply.form && /\s--/.test(line)) reply = await operator.submit(reply.form.id, reply.form.values, reply.form.context);
      const failed = { status: reply.status ?? 'ok', formErrors: reply.form ? Object.values(reply.form.errors) : [] };
      expect(failed, replyText(reply)).toEqual({ status: 'ok', formErrors: [] });
    } finally {
      await t.cleanup();
    }
  });
});

/** The operator typing in a Slack channel, where a digest subscription lands. */
async function runInChannel(db: Db, line: string): Promise<Reply> {
  const now = new Date('2026-11-24T10:00:00Z');
  const person = await ensureLocalPerson(db, 'tester', now);
  const ctx = contextFor({ db, config: testConfig(), log: memoryLogger(), commands: commandIndex }, person, { now, isAdmin: true, channel: { platform: 'slack', id: 'C0DEMO' } });
  return runLine(ctx, line);
}
