import { describe, expect, it } from 'vitest';
import { ContactIds } from '../../src/csv/import/contact-ids.ts';

describe('ContactIds (contact ids by account and name, for an import)', () => {
  it('finds each contact by its account and exact name, through many growths', () => {
    const ids = new ContactIds();
    for (let i = 0; i < 60_000; i++) ids.add(Math.floor(i / 12) + 1, `Contact ${i % 12} of ${Math.floor(i / 12)}`, 1_000_000 + i);
    expect(ids.size).toBe(60_000);
    for (let i = 0; i < 60_000; i += 7) expect(ids.get(Math.floor(i / 12) + 1, `Contact ${i % 12} of ${Math.floor(i / 12)}`)).toBe(1_000_000 + i);
  });

  it('tells the same name apart by account, and finds nothing for a name spelt otherwise or an account without it', () => {
    const ids = new ContactIds();
    ids.add(1, '李娜', 10);
    ids.add(2, '李娜', 20);
    ids.add(1, 'Tom Baker', 11);
    ids.add(1, 'O\'Brien, "Pat"', 12);
    expect(ids.get(1, '李娜')).toBe(10);
    expect(ids.get(2, '李娜')).toBe(20);
    expect(ids.get(1, 'O\'Brien, "Pat"')).toBe(12);
    expect(ids.get(3, '李娜')).toBeUndefined();
    for (const other of ['tom baker', 'Tom  Baker', 'Tom Bake', 'Tom Bakerr', '', '李']) expect(ids.get(1, other)).toBeUndefined();
  });

  it('keeps the first id when the same account and name are added twice', () => {
    const ids = new ContactIds();
    ids.add(5, 'Ann', 1);
    ids.add(5, 'Ann', 2);
    expect(ids.get(5, 'Ann')).toBe(1);
    expect(ids.size).toBe(1);
  });
});
