import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../helpers/engine.ts';
import { runMcr } from '../helpers/process.ts';

describe('the console: a delete asks first, its button by number confirms, and the Undo button by number takes it back', () => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await testDatabase();
    drop = database.cleanup;
    env = { DATABASE_URL: database.url };
  });
  afterAll(async () => drop());

  it('visit delete → [1] Yes, do it → [1] Undo', async () => {
    const input = [
      'account add "Acme Telecom" --tier general',
      'contact add "Tom Baker" --account Acme --role user',
      'visit Acme --with "Tom Baker" --summary "Logged on the wrong account"',
      'visit delete #1',
      '1', // Yes, do it
      '1', // Undo
      'exit',
    ].join('\n');
    const result = await runMcr(['console'], env, `${input}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('! Are you sure you want to delete visit #1 (Formal visit at Acme Telecom on');
    expect(result.stdout).toContain('[1] Yes, do it  (visit delete #1 --yes)');
    // The confirmation (wrapped to 80 columns), its undo line, then its one button.
    expect(result.stdout).toMatch(/Done: delete visit #1 [^]*?You can undo this for 10 minutes: undo [0-9a-f]{10}\n {2}\[1\] Undo {2}\(undo [0-9a-f]{10}\)/);
    expect(result.stdout).toContain('Undone: the deletion of visit #1.');
    const brief = await runMcr(['brief', 'Acme', '--json'], env);
    expect(JSON.parse(brief.stdout).recentActivities).toEqual([expect.objectContaining({ id: 1, summary: 'Logged on the wrong account' })]);
  }, 60_000);
});
