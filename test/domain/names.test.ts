import { describe, expect, it } from 'vitest';
import { closestNames, editDistance, nameKey } from '../../src/domain/names.ts';

describe('forgiving names (interfaces.md)', () => {
  it('ignore case, spacing, punctuation and accents, in any script', () => {
    expect(nameKey('ACME  Telecom.')).toBe('acmetelecom');
    expect(nameKey('Société Générale')).toBe('societegenerale');
    expect(nameKey('华为 技术')).toBe('华为技术');
    expect(nameKey('Ｆｕｌｌ　Ｗｉｄｔｈ')).toBe('fullwidth');
  });

  it('key plain ASCII as the full normalisation would', () => {
    // An accent sends a name down the full path; without it, the ASCII shortcut must agree.
    for (let code = 0x20; code <= 0x7e; code++) {
      const c = String.fromCharCode(code);
      expect(nameKey(`Ab${c}Z`) + 'e').toBe(nameKey(`Ab${c}Zé`));
    }
    expect(nameKey('  ...  ')).toBe('...');
  });

  it('suggest the closest names', () => {
    const names = [{ name: 'Acme Telecom' }, { name: 'Acme Labs' }, { name: 'Northwind' }, { name: '华信银行' }];
    expect(closestNames('Acme Telekom', names).map((n) => n.name)).toEqual(['Acme Telecom']);
    expect(closestNames('acme', names).map((n) => n.name)).toEqual(['Acme Labs', 'Acme Telecom']);
    expect(closestNames('华信', names).map((n) => n.name)).toEqual(['华信银行']);
    expect(closestNames('zzzz', names)).toEqual([]);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
