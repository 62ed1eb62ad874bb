import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeySet } from '../../src/csv/key-set.ts';

const hex = (i: number) => createHash('sha1').update(String(i)).digest('hex').slice(0, 32);

describe('KeySet (rows already read by an import)', () => {
  it('takes each content key once, through many growths', () => {
    const keys = new KeySet();
    for (let i = 0; i < 50_000; i++) expect(keys.add(hex(i))).toBe(true);
    for (let i = 0; i < 50_000; i += 7) expect(keys.add(hex(i))).toBe(false);
    expect(keys.size).toBe(50_000);
  });

  it('tells apart keys that share their first word (the slot) and differ in the second or third', () => {
    const keys = new KeySet();
    const hex2 = (n: number) => n.toString(16).padStart(2, '0');
    // Words: the same first, then i in the second and 255 − i in the third, the same fourth.
    const variants = Array.from({ length: 256 }, (_, i) => `abcdef01${hex2(i)}000000000000${hex2(255 - i)}00000000`);
    for (const k of variants) expect(keys.add(k)).toBe(true);
    for (const k of variants) expect(keys.add(k)).toBe(false);
    expect(keys.size).toBe(256);
  });

  it('takes two content keys that agree on their first 96 bits for the same (MD5s of the same row: see KeySet)', () => {
    const keys = new KeySet();
    const base = 'abcdef0123456789abcdef01';
    expect(keys.add(`${base}00000000`)).toBe(true);
    expect(keys.add(`${base}ffffffff`)).toBe(false);
  });

  it('keeps other keys (names, upper-case or short hex) apart from content keys', () => {
    const keys = new KeySet();
    const k = hex(1);
    expect(keys.add('acme')).toBe(true);
    expect(keys.add('acme')).toBe(false);
    expect(keys.add(k.toUpperCase())).toBe(true);
    expect(keys.add(k)).toBe(true);
    expect(keys.add(k.slice(0, 31))).toBe(true);
    expect(keys.add('7:tombaker')).toBe(true);
    expect(keys.size).toBe(5);
  });
});

describe('KeySet beyond a chunk of words', () => {
  it('takes each key once when the keys fill more than one chunk (2^20 keys a chunk)', () => {
    const keys = new KeySet();
    // Cheap distinct content keys whose first word (the slot) is spread.
    const key = (i: number) => (Math.imul(i, 2654435761) >>> 0).toString(16).padStart(8, '0') + i.toString(16).padStart(24, '0');
    const n = (1 << 20) + 50_000;
    let added = 0;
    for (let i = 0; i < n; i++) if (keys.add(key(i))) added++;
    expect(added).toBe(n);
    // Repeats from the first chunk and from the second are refused.
    for (const i of [0, 1, 12_345, (1 << 20) - 1, 1 << 20, n - 1]) expect(keys.add(key(i))).toBe(false);
    expect(keys.size).toBe(n);
  });
});
