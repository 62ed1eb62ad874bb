import { describe, expect, it } from 'vitest';
import { cadenceChecks } from '../../src/domain/cadence.ts';
import type { ActivityType, Position, Role, Tier } from '../../src/domain/model.ts';
import { defaultRules as rules } from '../../src/domain/rules.ts';
import type { ActivityFact } from '../../src/domain/types.ts';

const contact = (id: number, position: Position, role: Role, createdOn = '2025-01-01') => ({ id, position, role, createdOn });
let n = 0;
const act = (date: string, type: ActivityType, contactIds: number[]): ActivityFact => ({ id: ++n, date, type, contactIds });
const checks = (tier: Tier, contacts: ReturnType<typeof contact>[], activities: ActivityFact[], today = '2026-06-30') =>
  cadenceChecks({ tier, createdOn: '2025-01-01' }, contacts, activities, today, rules);

describe('§7 cadence', () => {
  it('key contact touch: 30 days for strategic is not overdue, 31 is', () => {
    const people = [contact(1, 'A', 'influencer')];
    expect(checks('strategic', people, [act('2026-05-31', 'visit', [1])]).find((c) => c.rule === 'key_contact_touch')).toMatchObject({ contactId: 1, limit: 30, days: 30, overdue: false });
    expect(checks('strategic', people, [act('2026-05-30', 'visit', [1])]).find((c) => c.rule === 'key_contact_touch')).toMatchObject({ days: 31, overdue: true });
  });

  it('uses each tier’s numbers, and leaves out the rules a tier does not have', () => {
    const people = [contact(1, 'A', 'influencer')];
    const limits = (tier: Tier) => Object.fromEntries(checks(tier, people, []).map((c) => [c.rule, c.limit]));
    expect(limits('strategic')).toEqual({ key_contact_touch: 30, top_summit: 365, cxo_exchange: 120, working_level: 30, service_meeting: 365 });
    expect(limits('partner')).toEqual({ key_contact_touch: 45, top_summit: 365, cxo_exchange: 180, working_level: 30, service_meeting: 365 });
    expect(limits('priority')).toEqual({ key_contact_touch: 60, working_level: 60 });
    expect(limits('general')).toEqual({ key_contact_touch: 90, working_level: 90 });
  });

  it('never touched counts from the day the contact (or account) was added', () => {
    const result = checks('priority', [contact(1, 'B', 'user', '2026-05-01')], [], '2026-06-30');
    expect(result.find((c) => c.rule === 'key_contact_touch')).toMatchObject({ lastOn: null, days: 60, overdue: false });
    expect(result.find((c) => c.rule === 'working_level')).toMatchObject({ lastOn: null, days: 545, overdue: true });
  });

  it('contacts off the decision chain get no touch rule', () => {
    expect(checks('general', [contact(1, 'C', 'none')], []).filter((c) => c.rule === 'key_contact_touch')).toEqual([]);
  });

  it('top summit needs a summit or exec visit with an S contact', () => {
    const people = [contact(1, 'S', 'decision_maker'), contact(2, 'A', 'influencer')];
    const summit = (acts: ActivityFact[]) => checks('strategic', people, acts).find((c) => c.rule === 'top_summit')!;
    expect(summit([act('2026-01-01', 'summit', [2])]).lastOn).toBeNull();
    expect(summit([act('2026-01-01', 'visit', [1])]).lastOn).toBeNull();
    expect(summit([act('2026-01-01', 'exec_visit', [1])]).lastOn).toBe('2026-01-01');
  });

  it('CXO exchange needs one of the listed types with an A contact', () => {
    const people = [contact(1, 'S', 'decision_maker'), contact(2, 'A', 'influencer')];
    const cxo = (acts: ActivityFact[]) => checks('partner', people, acts).find((c) => c.rule === 'cxo_exchange')!;
    expect(cxo([act('2026-03-01', 'meal', [2])]).lastOn).toBeNull();
    expect(cxo([act('2026-03-01', 'roadmap', [1])]).lastOn).toBeNull();
    expect(cxo([act('2026-03-01', 'workshop', [2])])).toMatchObject({ lastOn: '2026-03-01', days: 121, overdue: false });
  });

  it('the service annual meeting rule looks for that type only', () => {
    const result = checks('strategic', [], [act('2025-06-29', 'service_meeting', [])]).find((c) => c.rule === 'service_meeting')!;
    expect(result).toMatchObject({ days: 366, overdue: true });
  });
});
