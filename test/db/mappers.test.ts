import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit, writeAudit } from '../../src/db/audit.repository.ts';
import { listBackupsSince, recordBackup } from '../../src/db/backup.repository.ts';
import { ensureLocalPerson } from '../../src/db/person.repository.ts';
import { tempDb } from '../helpers/db.ts';

/** Repositories hand back domain objects (named fields, JSON read), never rows: what a command shows needs no column name. */
describe('row mappers', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('the audit log reads back as records: the actor by name, the record id named, the detail parsed', async () => {
    const alice = await ensureLocalPerson(t.db, 'alice', new Date('2026-11-01T09:00:00Z'));
    await writeAudit(t.db, { actorId: alice.id, action: 'account.create', entity: 'account', entityId: 7, detail: { name: 'Acme' } }, new Date('2026-11-02T10:00:00Z'));
    await writeAudit(t.db, { actorId: null, action: 'demo.load', entity: 'demo', entityId: null }, new Date('2026-11-03T10:00:00Z'));
    expect(await listAudit(t.db)).toEqual([
      { id: expect.any(Number), at: '2026-11-02T10:00:00.000Z', actor: alice.name, action: 'account.create', entity: 'account', entityId: 7, detail: { name: 'Acme' } },
      { id: expect.any(Number), at: '2026-11-03T10:00:00.000Z', actor: null, action: 'demo.load', entity: 'demo', entityId: null, detail: null },
    ]);
    expect((await listAudit(t.db, '2026-11-03')).map((e) => e.action)).toEqual(['demo.load']);
  });

  it('backups read back with their time named madeAt', async () => {
    await recordBackup(t.db, { file: '/tmp/a.sqlite', engine: 'sqlite', madeAt: '2026-11-02T10:00:00.000Z', madeBy: null });
    expect(await listBackupsSince(t.db, '2026-11-01')).toEqual([{ file: '/tmp/a.sqlite', engine: 'sqlite', madeAt: '2026-11-02T10:00:00.000Z' }]);
  });
});
