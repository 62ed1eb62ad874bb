import { listActivityFacts } from '../db/activity.repository.ts';
import { listContactsOfAccount } from '../db/contact.repository.ts';
import { findWeighting, listDepartmentRecords } from '../db/department.repository.ts';
import { countByDepartment, periodStart, scoreDepartment, type DepartmentRecord, type DepartmentScore, type Weighting } from '../domain/department.ts';
import { nameKey } from '../domain/names.ts';
import type { Account } from '../domain/types.ts';
import type { DbOrTrx } from '../db/create-db.ts';
import type { IsoDate } from '../domain/dates.ts';

export interface DepartmentView {
  weighting: Weighting;
  /** The first and last day of the process period (§11, domain/department.ts). */
  from: string;
  to: string;
  /** One per department: recorded ones first (in the order recorded), then contacts' departments not scored yet. */
  departments: Array<DepartmentScore & { recorded: boolean; record: DepartmentRecord; contacts: number }>;
}

/**
 * An account's department scores as of `today` (§11). With `recordedOnly` (brief and
 * tier), undefined when nothing was recorded, after one small query.
 */
export async function loadDepartmentView(db: DbOrTrx, account: Account, today: IsoDate, options: { recordedOnly: boolean }): Promise<DepartmentView | undefined> {
  const records = await listDepartmentRecords(db, account.id);
  if (options.recordedOnly && records.length === 0) return undefined;
  const [contacts, facts, { weighting }] = await Promise.all([listContactsOfAccount(db, account.id), listActivityFacts(db, account.id), findWeighting(db, account.id)]);
  const counts = countByDepartment(facts, contacts, today);
  const people = new Map<string, number>();
  const firstSpelling = new Map<string, string>();
  for (const c of contacts) {
    if (!c.department || c.department.trim() === '') continue;
    const key = nameKey(c.department);
    people.set(key, (people.get(key) ?? 0) + 1);
    if (!firstSpelling.has(key)) firstSpelling.set(key, c.department.trim());
  }
  const all = [...records];
  if (!options.recordedOnly) {
    const recorded = new Set(records.map((r) => nameKey(r.department)));
    for (const [key, department] of firstSpelling) {
      if (!recorded.has(key)) all.push({ department, target: null, support: null, channelOpen: null, incidentSpread: null });
    }
  }
  return {
    weighting,
    from: periodStart(today),
    to: today,
    departments: all.map((record, i) => {
      const key = nameKey(record.department);
      return { ...scoreDepartment(record, counts.get(key) ?? 0, weighting), recorded: i < records.length, record, contacts: people.get(key) ?? 0 };
    }),
  };
}
