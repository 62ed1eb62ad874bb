import { describe, expect, it } from 'vitest';
import { cleanText, forbiddenInName } from '../../src/domain/text.ts';

describe('characters in names and free text (issue 14)', () => {
  it.each([
    ['NUL', 'Ac\u0000me', 'U+0000'],
    ['tab', 'Ac\tme', 'U+0009'],
    ['line feed', 'Ac\nme', 'U+000A'],
    ['escape', 'Ac\u001b[31mme', 'U+001B'],
    ['DEL', 'Ac\u007fme', 'U+007F'],
    ['C1 CSI', 'Ac\u009bme', 'U+009B'],
    ['right-to-left override', 'invoice\u202Efdp.exe', 'U+202E'],
    ['first-strong isolate', 'a\u2068b', 'U+2068'],
    ['zero-width space', 'Ac\u200Bme', 'U+200B'],
    ['byte-order mark', '\uFEFFAcme', 'U+FEFF'],
    ['line separator', 'Ac\u2028me', 'U+2028'],
  ])('a name with %s is refused', (_, name, code) => {
    expect(forbiddenInName(name)).toBe(code);
  });

  it.each(['Acme Telecom', '华信银行', 'Zoë O\'Brien-Smith', '👩‍💻 Dev', 'می‌خواهم', '=HYPERLINK("x")'])('%s is a clean name', (name) => {
    expect(forbiddenInName(name)).toBeUndefined();
  });

  it('free text keeps tab and line breaks when it has lines, and loses the rest', () => {
    expect(cleanText('line 1\u0000\r\n\tline 2\u202E\u0007\u2028end', { multiline: true })).toBe('line 1\r\n\tline 2\nend');
    expect(cleanText('Head\tof\nIT\u0000\u009b', { multiline: false })).toBe('Head of IT');
    expect(cleanText('nothing to do 华信', { multiline: false })).toBe('nothing to do 华信');
  });
});
