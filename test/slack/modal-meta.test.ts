import { describe, expect, it } from 'vitest';
import { decodeModalMeta, encodeModalMeta, type ModalMeta } from '../../src/slack/modal.ts';
import { LIMITS } from '../../src/slack/limits.ts';

describe('a modal’s private_metadata: named fields in code, short keys on the wire', () => {
  const meta: ModalMeta = { form: 'visit', context: { account: '#12' }, rows: { next_steps: 2 }, channel: 'C1ACME', version: 3, fromHome: true };

  it('round-trips every field', () => {
    expect(decodeModalMeta(encodeModalMeta(meta))).toEqual(meta);
    expect(decodeModalMeta(encodeModalMeta({ form: 'rate', context: {}, rows: {} }))).toEqual({ form: 'rate', context: {}, rows: {} });
  });

  it('travels with one- and two-letter keys, as modals opened before a deploy do', () => {
    expect(JSON.parse(encodeModalMeta(meta))).toEqual({ f: 'visit', c: { account: '#12' }, r: { next_steps: 2 }, ch: 'C1ACME', v: 3, h: 1 });
    expect(decodeModalMeta('{"f":"visit","c":{},"r":{"next_steps":1},"ch":"C1"}')).toEqual({ form: 'visit', context: {}, rows: { next_steps: 1 }, channel: 'C1' });
    expect(encodeModalMeta(meta).length).toBeLessThan(LIMITS.privateMetadata);
  });

  it.each([['not JSON', '{'], ['no form', '{"c":{}}'], ['null', 'null'], ['a number', '7'], ['a form id that is not text', '{"f":1}']])('reads %s as not ours', (_, text) => {
    expect(decodeModalMeta(text)).toBeUndefined();
  });

  it('drops fields of the wrong type rather than trusting them', () => {
    expect(decodeModalMeta('{"f":"visit","c":"x","r":5,"ch":7,"v":"2"}')).toEqual({ form: 'visit', context: {}, rows: {} });
  });
});
