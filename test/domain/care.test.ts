import { describe, expect, it } from 'vitest';
import { upcomingCare } from '../../src/domain/care.ts';
import type { Role } from '../../src/domain/model.ts';
import { defaultRules as rules } from '../../src/domain/rules.ts';
import type { ActivityFact, Holiday } from '../../src/domain/types.ts';

const contact = (id: number, birthday: string | null, role: Role = 'influencer') => ({ id, role, birthday });
const holiday = (date: string, code: string | null = null, name = date): Holiday => ({ id: 1, code, name, date });
const care = (date: string, contactIds: number[]): ActivityFact => ({ id: 1, date, type: 'care', contactIds });

describe('§8 routine care, 7 days ahead', () => {
  it('includes today and the 7th day, not the 8th', () => {
    const people = [contact(1, '06-30'), contact(2, '07-07'), contact(3, '07-08')];
    expect(upcomingCare(people, [], [], '2026-06-30', rules).map((i) => [i.kind, i.date, i.daysAway])).toEqual([
      ['birthday', '2026-06-30', 0],
      ['birthday', '2026-07-07', 7],
    ]);
  });

  it('a Feb 29 birthday falls on Feb 28 in a common year, and on Feb 29 in a leap year', () => {
    expect(upcomingCare([contact(1, '02-29')], [], [], '2027-02-25', rules)).toMatchObject([{ date: '2027-02-28', daysAway: 3 }]);
    expect(upcomingCare([contact(1, '02-29')], [], [], '2028-02-25', rules)).toMatchObject([{ date: '2028-02-29', daysAway: 4 }]);
  });

  it('a care activity with that contact in the window satisfies it; one with someone else does not', () => {
    const people = [contact(1, '07-03')];
    expect(upcomingCare(people, [], [care('2026-06-29', [1])], '2026-06-30', rules)).toEqual([]);
    expect(upcomingCare(people, [], [care('2026-06-29', [2])], '2026-06-30', rules)).toHaveLength(1);
    // A care activity before the window (more than 7 days before the date) does not count.
    expect(upcomingCare(people, [], [care('2026-06-25', [1])], '2026-06-30', rules)).toHaveLength(1);
  });

  it('holidays list the key contacts not yet cared for', () => {
    const people = [contact(1, null), contact(2, null), contact(3, null, 'none')];
    const items = upcomingCare(people, [holiday('07-01')], [care('2026-06-30', [1])], '2026-06-30', rules);
    expect(items).toEqual([{ kind: 'holiday', date: '2026-07-01', daysAway: 1, holiday: holiday('07-01'), contactIds: [2] }]);
  });

  it('a lunar holiday across the new year: Spring Festival 2027 from late January', () => {
    const items = upcomingCare([contact(1, null)], [holiday('lunar:01-01', 'spring_festival')], [], '2027-02-01', rules);
    expect(items).toMatchObject([{ kind: 'holiday', date: '2027-02-06', daysAway: 5 }]);
  });

  it('New Year from the last days of December', () => {
    const items = upcomingCare([contact(1, '12-30')], [holiday('01-01', 'new_year')], [], '2026-12-28', rules);
    expect(items.map((i) => [i.kind, i.date])).toEqual([['birthday', '2026-12-30'], ['holiday', '2027-01-01']]);
  });
});
