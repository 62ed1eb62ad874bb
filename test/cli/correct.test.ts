import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../helpers/engine.ts';

import { runMcr, unwrapped } from '../helpers/process.ts';

describe('mcr: deletes and forget need --yes; a write prints its undo line', () => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await testDatabase();
    drop = database.cleanup;
    env = { DATABASE_URL: database.url, MCR_TIMEZONE: 'Asia/Shanghai' };
    expect((await runMcr(['account', 'add', 'Acme Telecom', '--tier', 'strategic'], env)).code).toBe(0);
    expect((await runMcr(['contact', 'add', 'Tom Baker', '--account', 'Acme', '--role', 'influencer'], env)).code).toBe(0);
  });
  afterAll(async () => {
    await drop();
  });

  it('visit delete without --yes is a usage error (exit 2) that says what would happen; with it, deleted, and undo in another run brings it back', async () => {
    const logged = await runMcr(['visit', 'Acme', '--with', 'Tom Baker', '--summary', 'Pricing review', '--json'], env);
    expect(logged.code).toBe(0);
    const { activity } = JSON.parse(logged.stdout) as { activity: { id: number } };

    const refused = await runMcr(['visit', 'delete', `#${activity.id}`], env);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(unwrapped(refused.stderr)).toContain(unwrapped(`This would delete visit #${activity.id} (Formal visit at Acme Telecom on`));
    expect(unwrapped(refused.stderr)).toContain(unwrapped(`Nothing was done. To go ahead, add --yes: visit delete #${activity.id} --yes`));
    expect(JSON.parse((await runMcr(['brief', 'Acme', '--json'], env)).stdout).recentActivities).toHaveLength(1);

    const deleted = await runMcr(['visit', 'delete', `#${activity.id}`, '--yes'], env);
    expect(deleted.code).toBe(0);
    const token = /\(undo ([0-9a-f]{10})\)/.exec(deleted.stdout)?.[1];
    expect(token, deleted.stdout).toBeDefined();
    expect(deleted.stdout).toContain(`You can undo this for 10 minutes: undo ${token}`);
    expect(JSON.parse((await runMcr(['brief', 'Acme', '--json'], env)).stdout).recentActivities).toEqual([]);

    expect(await runMcr(['undo', token!], env)).toMatchObject({ code: 0, stdout: expect.stringContaining(`Undone: the deletion of visit #${activity.id}.`) });
    expect(await runMcr(['undo', token!], env)).toMatchObject({ code: 0, stdout: expect.stringContaining('Already undone') });
    expect(JSON.parse((await runMcr(['brief', 'Acme', '--json'], env)).stdout).recentActivities).toEqual([expect.objectContaining({ id: activity.id, summary: 'Pricing review' })]);
    // Eight processes, each opening the database: room on a busy machine.
  }, 90_000);

  it('forget without --yes changes nothing and exits 2, in Chinese too', async () => {
    const refused = await runMcr(['forget', 'contact', 'Tom', '--account', 'Acme', '--lang', 'zh-CN'], env);
    expect(refused.code).toBe(2);
    expect(unwrapped(refused.stderr)).toContain(unwrapped('此操作将永久删除 Tom Baker（Acme Telecom）的个人数据（无法撤销）。什么都没有做。要执行，请加上 --yes：forget contact #'));
    const brief = JSON.parse((await runMcr(['brief', 'Acme', '--json'], env)).stdout) as { contacts: Array<{ name: string }> };
    expect(brief.contacts.map((c) => c.name)).toContain('Tom Baker');
  }, 60_000);
});
