import { TEST_ENGINE } from '../helpers/engine.ts';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeTier, insertAccount, searchAccounts, type AccountFields } from '../../src/db/account.repository.ts';
import { insertActivity, listActivityFacts, listOpenNextSteps, listRecentActivities, markNextStepDone } from '../../src/db/activity.repository.ts';
import { insertContact, searchContacts, type ContactFields } from '../../src/db/contact.repository.ts';
import { createDb } from '../../src/db/create-db.ts';
import { ensureLocalPerson, ensurePersonByRef, findPersonByRef, linkPlatformPerson } from '../../src/db/person.repository.ts';
import { insertPlan, insertPlanReview, listOpenPlans } from '../../src/db/plan.repository.ts';
import { insertRating, listRatingsForAttitude } from '../../src/db/rating.repository.ts';
import { loadAccountSnapshot } from '../../src/db/snapshot.repository.ts';
import { claimSubmission, storeSubmissionReply } from '../../src/db/submission.repository.ts';
import { defaultRules } from '../../src/domain/rules.ts';
import { ConflictError } from '../../src/domain/errors.ts';
import type { Account } from '../../src/domain/types.ts';
import { tempDb } from '../helpers/db.ts';

const now = new Date('2026-06-30T10:00:00Z');
const at = { by: null, today: '2026-01-01', now };
const accountFields = (name: string): AccountFields => ({
  name, industry: null, region: null, contribution: null, credit: null, potential: null, accountManagerId: null, solutionManagerId: null, deliveryManagerId: null, sponsorId: null,
});
const contactFields = (accountId: number, name: string, o: Partial<ContactFields> = {}): ContactFields => ({
  accountId, name, title: null, department: null, position: null, role: 'none', ownerAId: null, ownerBId: null, ownerCId: null, style: null, needLevel: null,
  birthday: null, birthYear: null, risingStar: false, notes: null, ...o,
});

describe('repositories on a real SQLite file', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let acme: Account;
  beforeEach(async () => {
    t = await tempDb();
    acme = await insertAccount(t.db, { ...accountFields('Acme Telecom'), tier: 'priority' }, at);
  });
  afterEach(async () => t.cleanup());

  it('accounts: the first tier is history; a change resets the clock, the same tier is a review (§1)', async () => {
    await changeTier(t.db, acme, 'partner', { reason: 'deal', by: null, today: '2026-03-01', now });
    const changed = (await searchAccounts(t.db, 'acme telecom'))[0]!;
    expect(changed).toMatchObject({ tier: 'partner', tierSetOn: '2026-03-01', tierReviewedOn: null });
    await changeTier(t.db, changed, 'partner', { reason: 'annual', by: null, today: '2026-06-01', now });
    expect((await searchAccounts(t.db, 'Acme Telecom'))[0]).toMatchObject({ tierSetOn: '2026-03-01', tierReviewedOn: '2026-06-01' });
    expect(await t.db.selectFrom('tier_changes').select(['kind', 'from_tier', 'to_tier']).orderBy('id').execute()).toEqual([
      { kind: 'set', from_tier: null, to_tier: 'priority' }, { kind: 'set', from_tier: 'priority', to_tier: 'partner' }, { kind: 'review', from_tier: 'partner', to_tier: 'partner' },
    ]);
  });

  it('accounts: an exact name wins over a prefix; the name key is unique', async () => {
    await insertAccount(t.db, { ...accountFields('Acme Telecom Labs'), tier: 'general' }, at);
    expect((await searchAccounts(t.db, 'ACME telecom.')).map((a) => a.name)).toEqual(['Acme Telecom']);
    expect((await searchAccounts(t.db, 'acme')).map((a) => a.name)).toEqual(['Acme Telecom', 'Acme Telecom Labs']);
    // The unique key refuses it as the domain error "already exists" (issue 16 part 5), not as the engine's error.
    await expect(insertAccount(t.db, { ...accountFields('acme  TELECOM'), tier: 'general' }, at)).rejects.toEqual(new ConflictError('account.exists', { name: 'acme  TELECOM' }));
  });

  it('contacts: booleans and nulls map to the domain; unique per account; searched within or across accounts', async () => {
    const tom = await insertContact(t.db, contactFields(acme.id, 'Tom Baker', { risingStar: true, role: 'user' }), '2026-01-01', now);
    expect(tom).toMatchObject({ risingStar: true, role: 'user', position: null, birthday: null, createdOn: '2026-01-01' });
    await expect(insertContact(t.db, contactFields(acme.id, 'tom baker'), '2026-01-01', now)).rejects.toEqual(new ConflictError('contact.exists', { name: 'tom baker', account: 'Acme Telecom' }));
    const other = await insertAccount(t.db, { ...accountFields('Other'), tier: 'general' }, at);
    await insertContact(t.db, contactFields(other.id, 'Tom Baker'), '2026-01-01', now);
    expect(await searchContacts(t.db, 'tom', acme.id)).toHaveLength(1);
    expect(await searchContacts(t.db, 'tom')).toHaveLength(2);
  });

  it('foreign keys hold: a contact of a missing account is refused', async () => {
    await expect(insertContact(t.db, contactFields(999, 'Ghost'), '2026-01-01', now)).rejects.toThrow(/FOREIGN KEY|foreign key constraint/);
  });

  it('activities: written with contacts, attendees and next steps together, or not at all', async () => {
    const tom = await insertContact(t.db, contactFields(acme.id, 'Tom'), '2026-01-01', now);
    const alice = (await ensurePersonByRef(t.db, 'alice@example.com', now))!;
    const activity = { accountId: acme.id, date: '2026-06-01', type: 'visit' as const, stage: null, contactIds: [tom.id, tom.id], attendeeIds: [alice.id], purpose: null, summary: 'Hi', needs: null, objections: null, createdBy: alice.id };
    await insertActivity(t.db, { ...activity, nextSteps: [{ text: 'Later', ownerId: alice.id, dueOn: null }, { text: 'Sooner', ownerId: alice.id, dueOn: '2026-06-05' }] }, now);
    await expect(t.db.transaction().execute(async (trx) => {
      await insertActivity(trx, { ...activity, date: '2026-06-02', nextSteps: [{ text: 'x', ownerId: null, dueOn: null }] }, now);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await listActivityFacts(t.db, acme.id)).toEqual([{ id: expect.any(Number), date: '2026-06-01', type: 'visit', contactIds: [tom.id] }]);
    expect(await listRecentActivities(t.db, acme.id, 5)).toMatchObject([{ contactIds: [tom.id], attendeeIds: [alice.id], summary: 'Hi' }]);
    const open = await listOpenNextSteps(t.db, { ownerId: alice.id });
    expect(open.map((s) => s.text)).toEqual(['Sooner', 'Later']);
    expect(await markNextStepDone(t.db, open[0]!.id, alice.id, '2026-06-30')).toBe(true);
    expect(await markNextStepDone(t.db, open[0]!.id, alice.id, '2026-06-30')).toBe(false);
    expect(await listOpenNextSteps(t.db, { accountId: acme.id })).toHaveLength(1);
  });

  it('ratings: only the given dimensions; read from window + look-back before today, none after', async () => {
    const tom = await insertContact(t.db, contactFields(acme.id, 'Tom'), '2026-01-01', now);
    for (const date of ['2025-04-05', '2025-04-06', '2026-06-30', '2026-07-01']) await insertRating(t.db, { contactId: tom.id, ratedBy: null, date, values: { information: 2 }, note: null }, now);
    const rows = await listRatingsForAttitude(t.db, [tom.id], '2026-06-30', 365, 90);
    // 2026-06-30 − 455 days = 2025-04-01 … so 04-05 and 04-06 are in; the rating after today is out.
    expect(rows.map((r) => r.date)).toEqual(['2025-04-05', '2025-04-06', '2026-06-30']);
    expect(rows[0]!.values).toEqual({ information: 2 });
  });

  it('plans: the last review date, none before the first review', async () => {
    const tom = await insertContact(t.db, contactFields(acme.id, 'Tom'), '2026-01-01', now);
    const id = await insertPlan(t.db, { contactId: tom.id, goalLevel: 'coach', goalDate: '2026-12-01', ownerId: null, sponsorId: null, commitment: null, cycleDays: 60, startDate: '2026-01-01', createdBy: null }, now);
    expect((await listOpenPlans(t.db, [tom.id]))[0]!.lastReviewOn).toBeNull();
    for (const date of ['2026-03-01', '2026-05-01']) await insertPlanReview(t.db, { planId: id, date, score: null, level: null, progress: 'p', gap: null, nextActions: null, reviewedBy: null }, now);
    expect((await listOpenPlans(t.db, [tom.id]))[0]!.lastReviewOn).toBe('2026-05-01');
  });

  it('people: one record per person, linked across Slack and Teams by email', async () => {
    const byEmail = (await ensurePersonByRef(t.db, 'Alice@Example.com', now))!;
    expect(byEmail.email).toBe('alice@example.com');
    expect((await ensurePersonByRef(t.db, 'alice@example.com', now))!.id).toBe(byEmail.id);
    expect(await ensurePersonByRef(t.db, 'somebody', now)).toBeUndefined();
    const slack = await linkPlatformPerson(t.db, { platform: 'slack', id: 'U1', email: 'alice@example.com', name: 'Alice Chen', locale: 'en-US' }, now);
    const teams = await linkPlatformPerson(t.db, { platform: 'teams', id: 'aad-1', email: 'ALICE@example.com', name: 'Alice Chen', locale: 'zh-CN' }, now);
    expect([slack.id, teams.id]).toEqual([byEmail.id, byEmail.id]);
    expect(await findPersonByRef(t.db, 'U1')).toMatchObject({ id: byEmail.id, slackId: 'U1', teamsId: 'aad-1', locale: 'zh-CN' });
    const local = await ensureLocalPerson(t.db, 'root', now);
    expect((await ensureLocalPerson(t.db, 'root', now)).id).toBe(local.id);
  });

  it('submissions: the first claim does the work; a second gets the stored reply', async () => {
    expect(await claimSubmission(t.db, 'k1', 'visit', now)).toBeUndefined();
    await storeSubmissionReply(t.db, 'k1', '{"blocks":[]}');
    expect(await claimSubmission(t.db, 'k1', 'visit', now)).toEqual({ reply: '{"blocks":[]}' });
  });

  it('snapshot: everything the rules need of one account', async () => {
    await insertContact(t.db, contactFields(acme.id, 'Tom', { role: 'user' }), '2026-01-01', now);
    const snapshot = await loadAccountSnapshot(t.db, acme, '2026-06-30', defaultRules);
    expect(snapshot.contacts.map((c) => c.name)).toEqual(['Tom']);
    expect(snapshot.holidays).toHaveLength(5);
    expect(snapshot).toMatchObject({ activities: [], ratings: [], plans: [] });
  });
});

describe('createDb', () => {
  it.skipIf(TEST_ENGINE === 'postgres')('creates the folder of a file: URL and refuses other engines, naming DATABASE_URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcr-createdb-'));
    try {
      const db = createDb(`file:${join(dir, 'a', 'b', 'mcr.sqlite')}`);
      await db.destroy();
      expect(existsSync(join(dir, 'a', 'b', 'mcr.sqlite'))).toBe(true);
      expect(() => createDb('mysql://localhost/x')).toThrow(/^DATABASE_URL: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
