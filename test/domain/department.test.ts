import { describe, expect, it } from 'vitest';
import { combinedScore, countByDepartment, periodStart, processScore, resultScore, scoreDepartment, type DepartmentRecord } from '../../src/domain/department.ts';
import type { ActivityFact } from '../../src/domain/types.ts';

const record = (overrides: Partial<DepartmentRecord> = {}): DepartmentRecord => ({
  department: 'Operations', target: 3, support: 'smooth', channelOpen: true, incidentSpread: false, ...overrides,
});

describe('§11 department scores, on hand-computed cases', () => {
  it('process: activities against the target, capped at 100; no target, no score', () => {
    expect(processScore(0, 3)).toBe(0);
    expect(processScore(1, 4)).toBe(25);
    expect(processScore(3, 3)).toBe(100);
    expect(processScore(7, 3)).toBe(100);
    expect(processScore(2, null)).toBeNull();
  });

  it('result: support 50 %, channel open 30 %, no incident spread 20 %', () => {
    // 0.5·100 + 0.3·100 + 0.2·100
    expect(resultScore('supports_decisions', true, false)).toBe(100);
    // 0.5·50 + 0.3·100 + 0.2·100 = 25 + 30 + 20
    expect(resultScore('smooth', true, false)).toBe(75);
    // 0.5·50 + 0 + 0.2·100 = 25 + 20
    expect(resultScore('smooth', false, false)).toBe(45);
    // 0.5·100 + 0.3·100 + 0 = 50 + 30
    expect(resultScore('supports_decisions', true, true)).toBe(80);
    // 0.5·0 + 0 + 0
    expect(resultScore('friction', false, true)).toBe(0);
    // 0 + 0.3·100 + 0.2·100
    expect(resultScore('friction', true, false)).toBe(50);
    expect(resultScore(null, true, false)).toBeNull();
    expect(resultScore('smooth', null, false)).toBeNull();
    expect(resultScore('smooth', true, null)).toBeNull();
  });

  it('combined: 30/70 by default, 20/80 when the account says so', () => {
    // 0.3·50 + 0.7·75 = 15 + 52.5
    expect(combinedScore(50, 75, '30_70')).toBeCloseTo(67.5);
    // 0.2·50 + 0.8·75 = 10 + 60
    expect(combinedScore(50, 75, '20_80')).toBeCloseTo(70);
    expect(combinedScore(null, 75, '30_70')).toBeNull();
    expect(combinedScore(50, null, '30_70')).toBeNull();
  });

  it('a whole department: rounded only at the end, with what is missing', () => {
    // process 2/3 = 66.67; result 75; 0.3·66.67 + 0.7·75 = 20 + 52.5 = 72.5 → 73
    expect(scoreDepartment(record(), 2, '30_70')).toEqual({ department: 'Operations', activities: 2, target: 3, process: 67, result: 75, combined: 73, missing: [] });
    // 0.2·66.67 + 0.8·75 = 13.33 + 60 = 73.33 → 73; process 1/6 = 16.67: 0.2·16.67 + 0.8·45 = 3.33 + 36 = 39.33 → 39
    expect(scoreDepartment(record(), 2, '20_80').combined).toBe(73);
    expect(scoreDepartment(record({ target: 6, channelOpen: false }), 1, '20_80')).toMatchObject({ process: 17, result: 45, combined: 39 });
    expect(scoreDepartment(record({ target: null, support: null }), 4, '30_70')).toEqual({
      department: 'Operations', activities: 4, target: null, process: null, result: null, combined: null, missing: ['target', 'support'],
    });
    expect(scoreDepartment(record({ channelOpen: null, incidentSpread: null }), 5, '30_70')).toMatchObject({ process: 100, result: null, combined: null, missing: ['channel_open', 'incident'] });
  });

  it('counts activities with a contact of the department in the 90 days up to today, once each, names matched forgivingly', () => {
    const contacts = [
      { id: 1, department: 'Operations' },
      { id: 2, department: ' operations ' },
      { id: 3, department: '采购部' },
      { id: 4, department: null },
    ];
    const fact = (id: number, date: string, contactIds: number[]): ActivityFact => ({ id, date, type: 'visit', contactIds });
    const facts = [
      fact(1, '2026-11-24', [1, 2]), // both in Operations: counts once
      fact(2, periodStart('2026-11-24'), [2, 3]), // the first day of the period: counts for both
      fact(3, '2026-08-26', [1]), // the day before the period
      fact(4, '2026-11-25', [1]), // planned, in the future
      fact(5, '2026-10-01', [4]), // no department
    ];
    // 89 days before: 24 in November, 31 in October, 30 in September, 4 in August.
    expect(periodStart('2026-11-24')).toBe('2026-08-27');
    expect(Object.fromEntries(countByDepartment(facts, contacts, '2026-11-24'))).toEqual({ operations: 2, 采购部: 1 });
  });
});
