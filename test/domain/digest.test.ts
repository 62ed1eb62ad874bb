import { describe, expect, it } from 'vitest';
import { attitudeChanges } from '../../src/domain/digest.ts';
import { defaultRules } from '../../src/domain/rules.ts';
import type { Rating } from '../../src/domain/types.ts';

const all = (value: number) => ({ acceptance: value, participation: value, project_support: value, information: value, guidance: value, competition: value });
let id = 0;
const rating = (contactId: number, date: string, value: number, ratedBy = 7): Rating => ({ id: ++id, contactId, ratedBy, date, values: all(value) });

describe('a digest\'s attitude changes (§3)', () => {
  it('lists contacts rated in the period whose level changed, with the rater; unknown is not neutral', () => {
    const ratings = [
      rating(1, '2026-09-01', 0), rating(1, '2026-11-20', 2), // neutral → exclusive supporter (the latest value counts)
      rating(2, '2026-09-01', 1), rating(2, '2026-11-21', 1), // unchanged: left out
      rating(3, '2026-11-22', 0, 9), // first rating: unknown → neutral
      rating(4, '2026-11-10', 3), // outside the period: left out
    ];
    const changes = attitudeChanges(ratings, '2026-11-16', '2026-11-23', defaultRules);
    expect(changes.map((c) => [c.contactId, c.from, c.to, c.ratedBy])).toEqual([
      [1, 'neutral', 'exclusive', 7],
      [3, null, 'neutral', 9],
    ]);
  });

  it('lists a contact whose trend is down even when the level held', () => {
    const ratings = [rating(5, '2026-08-20', 2), rating(5, '2026-11-18', 1)];
    const [change] = attitudeChanges(ratings, '2026-11-16', '2026-11-23', defaultRules);
    expect(change).toMatchObject({ contactId: 5, trend: 'down' });
  });
});
