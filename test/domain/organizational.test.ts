import { describe, expect, it } from 'vitest';
import { ORG_ITEMS, type ActivityType, type Position } from '../../src/domain/model.ts';
import { orgStatus } from '../../src/domain/organizational.ts';
import { defaultRules as rules } from '../../src/domain/rules.ts';
import type { ActivityFact } from '../../src/domain/types.ts';

const contacts = new Map<number, { position: Position | null }>([[1, { position: 'S' }], [2, { position: 'B' }]]);
let id = 0;
const act = (date: string, type: ActivityType, contactIds: number[] = []): ActivityFact => ({ id: ++id, date, type, contactIds });

describe('§4 organizational checklist', () => {
  it('a partner requires 9 items (all but personal_ties, process_match, management); strategic all 12', () => {
    const partner = orgStatus('partner', [], contacts, '2026-06-30', rules);
    expect(partner.required).toHaveLength(9);
    expect(partner.required).not.toEqual(expect.arrayContaining(['personal_ties']));
    expect(partner.required.filter((i) => ['personal_ties', 'process_match', 'management'].includes(i))).toEqual([]);
    expect(orgStatus('strategic', [], contacts, '2026-06-30', rules).required).toEqual([...ORG_ITEMS]);
  });

  it('priority and general require none: health is null', () => {
    expect(orgStatus('priority', [act('2026-06-01', 'summit', [1])], contacts, '2026-06-30', rules)).toEqual({ required: [], inPlace: ['summit'], health: null });
    expect(orgStatus('general', [], contacts, '2026-06-30', rules).health).toBeNull();
  });

  it('items are in place when evidenced in the last 365 days; health = in place ÷ required', () => {
    const status = orgStatus('partner', [
      act('2026-06-01', 'summit', [1]),
      act('2026-02-01', 'roadmap'), // strategy_match
      act('2026-03-01', 'training'), // management: not required of a partner
      act('2026-04-01', 'forum'), // brand
      act('2025-06-30', 'planning'), // 365 days before: too old
    ], contacts, '2026-06-30', rules);
    expect(status.inPlace).toEqual(['summit', 'strategy_match', 'management', 'brand']);
    expect(status.health).toBeCloseTo(3 / 9);
  });

  it('a private occasion builds personal ties only with an S contact (§5)', () => {
    expect(orgStatus('strategic', [act('2026-06-01', 'private', [2])], contacts, '2026-06-30', rules).inPlace).toEqual([]);
    expect(orgStatus('strategic', [act('2026-06-01', 'private', [1, 2])], contacts, '2026-06-30', rules).inPlace).toEqual(['personal_ties']);
  });
});
