import { sql } from 'kysely';
import { groupBy, sortShort } from '../domain/collections.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { ActivityType, Stage } from '../domain/model.ts';
import type { Activity, ActivityFact, NextStep } from '../domain/types.ts';
import { activityContentKey } from './content-key.ts';
import type { DbOrTrx } from './create-db.ts';
import type { ActivityRow, NextStepRow } from './schema.ts';
import { caselessLike, engineOf, fromJsonArray, jsonArrayOf } from './sql.ts';

export type NewActivity = Omit<Activity, 'id'> & {
  nextSteps: Array<Pick<NextStep, 'text' | 'ownerId' | 'dueOn'>>;
};

/** §5 an activity with the contacts met, our attendees and its next steps, written together. */
export async function insertActivity(db: DbOrTrx, activity: NewActivity, now: Date): Promise<{ id: number; nextStepIds: number[] }> {
  const { id } = await db
    .insertInto('activities')
    .values({ ...activityColumns(activity), created_by: activity.createdBy, created_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertParticipants(db, id, activity);
  let nextStepIds: number[] = [];
  if (activity.nextSteps.length > 0) {
    const rows = await db
      .insertInto('next_steps')
      .values(activity.nextSteps.map((s) => ({ activity_id: id, account_id: activity.accountId, text: s.text, owner_id: s.ownerId, due_on: s.dueOn })))
      .returning('id')
      .execute();
    nextStepIds = rows.map((r) => r.id);
  }
  return { id, nextStepIds };
}

/** What an activity says, as its row's columns (its content key too): written on insert and on correction. */
function activityColumns(activity: Omit<Activity, 'id' | 'createdBy'>) {
  return {
    account_id: activity.accountId,
    date: activity.date,
    type: activity.type,
    stage: activity.stage,
    purpose: activity.purpose,
    summary: activity.summary,
    needs: activity.needs,
    objections: activity.objections,
    content_key: activityContentKey(activity),
  };
}

/** The contacts met and our attendees of an activity, each once. */
async function insertParticipants(db: DbOrTrx, id: number, activity: Pick<Activity, 'contactIds' | 'attendeeIds'>): Promise<void> {
  const contactIds = [...new Set(activity.contactIds)];
  if (contactIds.length > 0) await db.insertInto('activity_contacts').values(contactIds.map((contact_id) => ({ activity_id: id, contact_id }))).execute();
  const attendeeIds = [...new Set(activity.attendeeIds)];
  if (attendeeIds.length > 0) await db.insertInto('activity_attendees').values(attendeeIds.map((person_id) => ({ activity_id: id, person_id }))).execute();
}

/** What the rules need of every activity of an account (§4, §7, §8), in no set order: the rules take the latest of each kind, so no sort is paid for. */
export async function listActivityFacts(db: DbOrTrx, accountId: number): Promise<ActivityFact[]> {
  return (await listActivityFactsOf(db, [accountId])).get(accountId) ?? [];
}

/**
 * The same for several accounts, by account, in two queries that each read one index
 * in order: the activities (`activities_account_date_type_id` covers them), one row an
 * account with its activities as one JSON array; and the contacts taking part, one row a
 * contact with the activities it took part in (`activity_contacts_contact` covers that).
 * A row per activity and per link instead is what the driver spends its time on: at
 * 100,000 accounts (10 M activities, 18.6 M links) 16.3 s of a digest of every account
 * against 6.7 s so (bench/README.md, ×10). Joining the two probes the link table once per
 * activity at random, three times slower. An activity lists the contacts of its own
 * account, which are the only ones its assessment looks at.
 */
export async function listActivityFactsOf(db: DbOrTrx, accountIds: readonly number[]): Promise<Map<number, ActivityFact[]>> {
  const byAccount = new Map<number, ActivityFact[]>();
  if (accountIds.length === 0) return byAccount;
  const engine = engineOf(db);
  const [op, ids] = accountIds.length === 1 ? (['=', accountIds[0]!] as const) : (['in', accountIds] as const);
  const accounts = await db
    .selectFrom('activities')
    .select(['account_id', jsonArrayOf(engine, ['id', 'date', 'type']).as('facts')])
    .where('account_id', op, ids)
    .groupBy('account_id')
    .execute();
  const contacts = await db
    .selectFrom('contacts')
    .innerJoin('activity_contacts', 'activity_contacts.contact_id', 'contacts.id')
    .select(['contacts.id', jsonArrayOf(engine, ['activity_contacts.activity_id']).as('activities')])
    .where('contacts.account_id', op, ids)
    .groupBy('contacts.id')
    .execute();
  const byId = new Map<number, ActivityFact>();
  for (const { account_id, facts } of accounts) {
    byAccount.set(
      account_id,
      fromJsonArray<[number, IsoDate, ActivityType]>(facts).map(([id, date, type]) => {
        const fact: ActivityFact = { id, date, type, contactIds: [] };
        byId.set(id, fact);
        return fact;
      }),
    );
  }
  for (const contact of contacts) for (const id of fromJsonArray<number>(contact.activities)) byId.get(id)?.contactIds.push(contact.id);
  // Each fact lists its contacts by id, whatever order the engine found them in (a sort in SQL costs more).
  for (const fact of byId.values()) sortShort(fact.contactIds);
  return byAccount;
}

/** The latest activities of an account with who took part, newest first. */
export async function listRecentActivities(db: DbOrTrx, accountId: number, limit: number): Promise<Activity[]> {
  const rows = await db.selectFrom('activities').selectAll().where('account_id', '=', accountId).orderBy('date', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return withParticipants(db, rows);
}

/** Activities of these accounts dated `from` up to the day before `to`, oldest first. */
export async function listActivitiesBetween(db: DbOrTrx, accountIds: readonly number[], from: IsoDate, to: IsoDate): Promise<Activity[]> {
  const out: Activity[] = [];
  for (let i = 0; i < accountIds.length; i += 500) {
    const rows = await db
      .selectFrom('activities')
      .selectAll()
      .where('account_id', 'in', accountIds.slice(i, i + 500))
      .where('date', '>=', from)
      .where('date', '<', to)
      .orderBy('date')
      .orderBy('id')
      .execute();
    out.push(...(await withParticipants(db, rows)));
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
}

async function withParticipants(db: DbOrTrx, rows: ActivityRow[]): Promise<Activity[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const contacts = groupBy(await db.selectFrom('activity_contacts').selectAll().where('activity_id', 'in', ids).execute(), (c) => c.activity_id);
  const attendees = groupBy(await db.selectFrom('activity_attendees').selectAll().where('activity_id', 'in', ids).execute(), (a) => a.activity_id);
  return rows.map((r) => toActivity(r, (contacts.get(r.id) ?? []).map((c) => c.contact_id), (attendees.get(r.id) ?? []).map((a) => a.person_id)));
}

/** An activity's row, with the contacts met and our attendees (from their link tables). */
export function toActivity(row: ActivityRow, contactIds: number[], attendeeIds: number[]): Activity {
  return {
    id: row.id,
    accountId: row.account_id,
    date: row.date,
    type: row.type as ActivityType,
    stage: row.stage as Stage | null,
    contactIds,
    attendeeIds,
    purpose: row.purpose,
    summary: row.summary,
    needs: row.needs,
    objections: row.objections,
    createdBy: row.created_by,
  };
}

export function toNextStep(row: NextStepRow): NextStep {
  return { id: row.id, activityId: row.activity_id, accountId: row.account_id, text: row.text, ownerId: row.owner_id, dueOn: row.due_on, doneOn: row.done_on };
}

/** §5 next steps still open (the closed loop), soonest due first. */
export async function listOpenNextSteps(db: DbOrTrx, filter: { accountId?: number; accountIds?: readonly number[]; ownerId?: number; dueBefore?: IsoDate }): Promise<NextStep[]> {
  let query = db.selectFrom('next_steps').selectAll().where('done_on', 'is', null);
  if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
  if (filter.accountIds !== undefined) query = filter.accountIds.length === 0 ? query.where(sql<boolean>`1 = 0`) : query.where('account_id', 'in', filter.accountIds);
  if (filter.dueBefore !== undefined) query = query.where('due_on', '<', filter.dueBefore);
  if (filter.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
  const rows = await query.orderBy('due_on').orderBy('id').execute();
  // Undated steps last: NULL sorts first on SQLite and last on PostgreSQL, so order here.
  return rows.map(toNextStep).sort((a, b) => (a.dueOn === null ? 1 : 0) - (b.dueOn === null ? 1 : 0));
}

export async function findNextStepById(db: DbOrTrx, id: number): Promise<NextStep | undefined> {
  const row = await db.selectFrom('next_steps').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toNextStep(row);
}

/** Open next steps whose text contains the words typed (for `done <next step>`). */
export async function searchOpenNextSteps(db: DbOrTrx, text: string, limit = 10): Promise<NextStep[]> {
  const rows = await db
    .selectFrom('next_steps')
    .selectAll()
    .where('done_on', 'is', null)
    .where(caselessLike('text', text, 'contains'))
    .orderBy('due_on')
    .limit(limit)
    .execute();
  return rows.map(toNextStep);
}

export async function markNextStepDone(db: DbOrTrx, id: number, by: number | null, today: IsoDate): Promise<boolean> {
  const result = await db.updateTable('next_steps').set({ done_on: today, done_by: by }).where('id', '=', id).where('done_on', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function findActivityById(db: DbOrTrx, id: number): Promise<Activity | undefined> {
  const row = await db.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirst();
  return row && (await withParticipants(db, [row]))[0];
}

/** Issue 15: a visit corrected by its author or an admin; its next steps stay (they are corrected one by one) but follow it to another account. */
export async function updateActivity(db: DbOrTrx, id: number, activity: Omit<Activity, 'id' | 'createdBy'>): Promise<void> {
  await db
    .updateTable('activities')
    .set(activityColumns(activity))
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('activity_contacts').where('activity_id', '=', id).execute();
  await db.deleteFrom('activity_attendees').where('activity_id', '=', id).execute();
  await insertParticipants(db, id, activity);
  await db.updateTable('next_steps').set({ account_id: activity.accountId }).where('activity_id', '=', id).execute();
}

/** Who recorded the visit a next step came from: its author, for corrections. */
export async function nextStepAuthor(db: DbOrTrx, stepId: number): Promise<number | null> {
  const row = await db.selectFrom('next_steps').innerJoin('activities', 'activities.id', 'next_steps.activity_id').select('activities.created_by').where('next_steps.id', '=', stepId).executeTakeFirst();
  return row?.created_by ?? null;
}

export async function updateNextStep(db: DbOrTrx, id: number, step: Pick<NextStep, 'text' | 'ownerId' | 'dueOn'>): Promise<void> {
  await db.updateTable('next_steps').set({ text: step.text, owner_id: step.ownerId, due_on: step.dueOn }).where('id', '=', id).execute();
}
