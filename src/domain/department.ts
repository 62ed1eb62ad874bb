import { addDays, type IsoDate } from './dates.ts';
import { nameKey } from './names.ts';
import type { ActivityFact } from './types.ts';

/**
 * §11 the broad relationship layer scored per customer department: a process score
 * (how often we were there) and a result score (what the department does for us),
 * combined 30 % process + 70 % result, or 20/80 when the account says so. The seeds
 * weigh the result more ("以结果评估为主，过程评估为辅，权重可以是二八或三七").
 */

/** §11 support for key events (合作不顺畅 / 合作顺畅不支撑 / 合作顺畅支撑关键决策), fixed scores. */
export const SUPPORT_LEVELS = ['friction', 'smooth', 'supports_decisions'] as const;
export type Support = (typeof SUPPORT_LEVELS)[number];
export const SUPPORT_SCORE: Record<Support, number> = { friction: 0, smooth: 50, supports_decisions: 100 };

/** §11 the two weightings the seeds allow, as `process_result`. */
export const WEIGHTINGS = ['30_70', '20_80'] as const;
export type Weighting = (typeof WEIGHTINGS)[number];
const PROCESS_SHARE: Record<Weighting, number> = { '30_70': 0.3, '20_80': 0.2 };

/**
 * Our default (§11 is silent on it): the result score is a weighted mean of its three
 * items — support for key events 50 %, information channel open 30 % (100 open, 0
 * closed), no major incident spread 20 % (100 none, 0 spread). The seeds name support
 * and the information channel as the main result targets ("以业务支撑和信息顺畅为主要考核
 * 目标") and incident spread as the third; each item moves the score on its own.
 */
export const RESULT_WEIGHTS = { support: 0.5, channel: 0.3, incident: 0.2 } as const;

/** Our default period for the process score: the 90 days up to today (a quarter, as a quarterly plan cycle, §6). */
export const PROCESS_PERIOD_DAYS = 90;

/** What is recorded for one department of an account (any item may still be missing). */
export interface DepartmentRecord {
  department: string;
  /** Activities wanted per period (≥ 1). */
  target: number | null;
  support: Support | null;
  channelOpen: boolean | null;
  incidentSpread: boolean | null;
}

export type MissingItem = 'target' | 'support' | 'channel_open' | 'incident';

export interface DepartmentScore {
  department: string;
  /** Activities with a contact of the department in the period. */
  activities: number;
  target: number | null;
  /** 0–100, whole numbers; null when an input is missing. */
  process: number | null;
  result: number | null;
  combined: number | null;
  missing: MissingItem[];
}

/** §11 process: activities against the target, capped at 100 (null without a target). */
export function processScore(activities: number, target: number | null): number | null {
  if (target === null || target <= 0) return null;
  return Math.min(100, (activities / target) * 100);
}

/** §11 result (our combination, {@link RESULT_WEIGHTS}); null unless all three items are recorded. */
export function resultScore(support: Support | null, channelOpen: boolean | null, incidentSpread: boolean | null): number | null {
  if (support === null || channelOpen === null || incidentSpread === null) return null;
  return RESULT_WEIGHTS.support * SUPPORT_SCORE[support] + RESULT_WEIGHTS.channel * (channelOpen ? 100 : 0) + RESULT_WEIGHTS.incident * (incidentSpread ? 0 : 100);
}

/** §11 combined: 30 % process + 70 % result (or 20/80); null unless both are known. */
export function combinedScore(process: number | null, result: number | null, weighting: Weighting): number | null {
  if (process === null || result === null) return null;
  const share = PROCESS_SHARE[weighting];
  return share * process + (1 - share) * result;
}

/** A score as shown and stored in JSON: a whole number, an exact half rounded up. */
const whole = (score: number | null) => (score === null ? null : Math.round(score));

/** Every score of one department, rounded only at the end. */
export function scoreDepartment(record: DepartmentRecord, activities: number, weighting: Weighting): DepartmentScore {
  const process = processScore(activities, record.target);
  const result = resultScore(record.support, record.channelOpen, record.incidentSpread);
  const missing: MissingItem[] = [];
  if (record.target === null) missing.push('target');
  if (record.support === null) missing.push('support');
  if (record.channelOpen === null) missing.push('channel_open');
  if (record.incidentSpread === null) missing.push('incident');
  return {
    department: record.department,
    activities,
    target: record.target,
    process: whole(process),
    result: whole(result),
    combined: whole(combinedScore(process, result, weighting)),
    missing,
  };
}

/** The first day of the process period ending `today` (inclusive). */
export function periodStart(today: IsoDate, days = PROCESS_PERIOD_DAYS): IsoDate {
  return addDays(today, -(days - 1));
}

/**
 * Activities that touched a contact of each department (matched by name key, so case
 * and spacing do not matter) in the period up to `today`: an activity counts once per
 * department however many of its contacts work there; future-dated (planned) ones do not.
 */
export function countByDepartment(
  facts: readonly ActivityFact[],
  contacts: ReadonlyArray<{ id: number; department: string | null }>,
  today: IsoDate,
  days = PROCESS_PERIOD_DAYS,
): Map<string, number> {
  const from = periodStart(today, days);
  const departmentOf = new Map<number, string>();
  for (const c of contacts) if (c.department && c.department.trim() !== '') departmentOf.set(c.id, nameKey(c.department));
  const counts = new Map<string, number>();
  for (const fact of facts) {
    if (fact.date < from || fact.date > today) continue;
    const touched = new Set(fact.contactIds.map((id) => departmentOf.get(id)).filter((k): k is string => k !== undefined));
    for (const key of touched) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
