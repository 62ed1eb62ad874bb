import { describe, expect, it } from 'vitest';
import { assessAccount, type AccountSnapshot } from '../../src/domain/assess.ts';
import { quickRatingValues } from '../../src/domain/attitude.ts';
import { defaultRules as rules } from '../../src/domain/rules.ts';
import type { Contact } from '../../src/domain/types.ts';

const contact = (id: number, o: Partial<Contact>): Contact => ({
  id, accountId: 1, name: `C${id}`, title: null, department: null, position: null, role: 'none', ownerAId: 1, ownerBId: 2, ownerCId: null,
  style: null, needLevel: null, birthday: null, birthYear: null, risingStar: false, notes: null, createdOn: '2026-01-01', ...o,
});

describe('§1–§10 on one partner account, worked by hand', () => {
  const snapshot: AccountSnapshot = {
    account: {
      id: 1, name: '华信银行', tier: 'partner', industry: null, region: null, contribution: 4, credit: 4, potential: 3,
      accountManagerId: 1, solutionManagerId: null, deliveryManagerId: null, sponsorId: null, tierSetOn: '2026-01-01', tierReviewedOn: null, createdOn: '2026-01-01',
    },
    contacts: [
      contact(1, { name: '王建国', position: 'S', role: 'decision_maker', needLevel: 4, style: 'driver' }),
      contact(2, { name: '李娜', position: 'A', role: 'influencer', ownerBId: null, birthday: '07-03' }),
      contact(3, { name: '前台', position: 'C', role: 'none' }),
    ],
    activities: [
      { id: 1, date: '2026-06-20', type: 'visit', contactIds: [1] },
      { id: 2, date: '2026-05-01', type: 'roadmap', contactIds: [2] },
    ],
    ratings: [
      { id: 1, contactId: 1, ratedBy: 1, date: '2026-03-01', values: quickRatingValues('neutral') },
      { id: 2, contactId: 1, ratedBy: 1, date: '2026-06-20', values: quickRatingValues('opposed') },
      { id: 3, contactId: 2, ratedBy: 1, date: '2026-06-01', values: { acceptance: 3, information: 2 } },
    ],
    plans: [],
    holidays: [],
  };
  const a = assessAccount(snapshot, '2026-06-30', rules);

  it('scores the account: (2 + 0.8 + 0.9 − 1) / 4 = 67.5 → 68, partner', () => {
    expect([a.valueScore, a.suggestedTier]).toEqual([68, 'partner']);
    expect(a.layersRequired).toEqual(['broad', 'key', 'organizational']);
  });

  it('computes attitudes: 王建国 opposed and falling, 李娜 2.5 → exclusive, 前台 unknown', () => {
    const [wang, li, desk] = a.contacts;
    expect(wang!.attitude).toMatchObject({ current: { score: -1, level: 'opposed' }, trend: 'down' });
    expect(li!.attitude.current).toMatchObject({ score: 2.5, level: 'exclusive' });
    expect(li!.attitude.trend).toBeNull();
    expect(desk!.attitude.current).toBeNull();
    expect(wang!.suggestion).toEqual({ approach: ['formal_visit', 'business_exchange', 'dinner', 'company_tour'], needs: ['high_courtesy', 'ceremonial_events'], style: 'driver' });
  });

  it('finds the gaps', () => {
    expect(a.org.health).toBeCloseTo(1 / 9);
    expect(a.gaps).toEqual([
      { code: 'decision_maker_opposed', contactId: 1 },
      { code: 'no_coach' },
      { code: 'no_sponsor' },
      { code: 'org_thin' },
      { code: 'single_owner', contactId: 2 },
      // top summit never: counted from the account's creation, 180 days; working level: the visit was only with an S contact.
      { code: 'cadence_overdue', rule: 'working_level', days: 180 },
      { code: 'cadence_overdue', rule: 'key_contact_touch', days: 60, contactId: 2 },
      // Set on 2026-01-01: 180 days later the tier is due for review.
      { code: 'tier_review_due', days: 180 },
    ]);
  });

  it('lists care: 李娜’s birthday in 3 days', () => {
    expect(a.care).toEqual([{ kind: 'birthday', date: '2026-07-03', daysAway: 3, contactId: 2 }]);
  });
});
