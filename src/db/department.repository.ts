import { SUPPORT_LEVELS, WEIGHTINGS, type DepartmentRecord, type Support, type Weighting } from '../domain/department.ts';
import { nameKey } from '../domain/names.ts';
import type { DbOrTrx } from './create-db.ts';
import type { DepartmentScoresTable } from './schema.ts';
import type { Selectable } from 'kysely';

/** §11 department scores: what was recorded per customer department, and the account's weighting. */

export type DepartmentScoreRow = Selectable<DepartmentScoresTable>;

const flagOf = (value: number | null): boolean | null => (value === null ? null : value === 1);
const flagRow = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

/** Row → domain: an unknown support id (a value written by hand) reads as not recorded. */
export function toDepartmentRecord(row: DepartmentScoreRow): DepartmentRecord {
  return {
    department: row.department,
    target: row.target,
    support: (SUPPORT_LEVELS as readonly string[]).includes(row.support ?? '') ? (row.support as Support) : null,
    channelOpen: flagOf(row.channel_open),
    incidentSpread: flagOf(row.incident_spread),
  };
}

/** The departments recorded for an account, in the order they were first recorded. */
export async function listDepartmentRecords(db: DbOrTrx, accountId: number): Promise<DepartmentRecord[]> {
  const rows = await db.selectFrom('department_scores').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
  return rows.map(toDepartmentRecord);
}

/** One department of an account, matched by name key (case and spacing ignored). */
export async function findDepartmentRecord(db: DbOrTrx, accountId: number, department: string): Promise<{ id: number; record: DepartmentRecord } | undefined> {
  const row = await db.selectFrom('department_scores').selectAll().where('account_id', '=', accountId).where('department_key', '=', nameKey(department)).executeTakeFirst();
  return row && { id: row.id, record: toDepartmentRecord(row) };
}

/** Writes a department's whole record; the name keeps its first spelling. Returns the row id. */
export async function saveDepartmentRecord(db: DbOrTrx, accountId: number, record: DepartmentRecord, by: number | null, now: Date): Promise<number> {
  const values = {
    target: record.target,
    support: record.support,
    channel_open: flagRow(record.channelOpen),
    incident_spread: flagRow(record.incidentSpread),
    updated_by: by,
    updated_at: now.toISOString(),
  };
  const row = await db
    .insertInto('department_scores')
    .values({ account_id: accountId, department: record.department, department_key: nameKey(record.department), ...values })
    .onConflict((oc) => oc.columns(['account_id', 'department_key']).doUpdateSet(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The account's weighting (§11): 30/70 unless it chose 20/80. */
export async function findWeighting(db: DbOrTrx, accountId: number): Promise<{ weighting: Weighting; chosen: boolean }> {
  const row = await db.selectFrom('department_weightings').select('weighting').where('account_id', '=', accountId).executeTakeFirst();
  const weighting = (WEIGHTINGS as readonly string[]).includes(row?.weighting ?? '') ? (row!.weighting as Weighting) : '30_70';
  return { weighting, chosen: row !== undefined };
}

export async function saveWeighting(db: DbOrTrx, accountId: number, weighting: Weighting, by: number | null, now: Date): Promise<void> {
  const values = { weighting, updated_by: by, updated_at: now.toISOString() };
  await db.insertInto('department_weightings').values({ account_id: accountId, ...values }).onConflict((oc) => oc.column('account_id').doUpdateSet(values)).execute();
}
