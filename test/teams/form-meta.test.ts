import { describe, expect, it } from 'vitest';
import { cardValues, decodeFormMeta, encodeFormMeta, formCard, type FormMeta } from '../../src/teams/form-card.ts';
import type { Form } from '../../src/core/reply.ts';

describe('a form card’s data.mcr: named fields in code, short keys on the wire', () => {
  const meta: FormMeta = { form: 'visit', context: { account: '#12' }, rows: { next_steps: 1 }, multiValued: ['contacts'], key: 'abc123' };

  it('round-trips the metadata and what a button asks', () => {
    expect(decodeFormMeta(encodeFormMeta(meta))).toEqual(meta);
    expect(decodeFormMeta(encodeFormMeta(meta, { addRow: 'next_steps' }))).toEqual({ ...meta, addRow: 'next_steps' });
    expect(decodeFormMeta(encodeFormMeta(meta, { loadFor: 'contacts' }))).toEqual({ ...meta, loadFor: 'contacts' });
  });

  it('travels with one-letter keys, as cards sent before a deploy do', () => {
    expect(encodeFormMeta(meta, { addRow: 'next_steps' })).toEqual({ mcr: { f: 'visit', c: { account: '#12' }, r: { next_steps: 1 }, m: ['contacts'], k: 'abc123', add: 'next_steps' } });
  });

  it.each([['no data', {}], ['a command button', { mcr: { run: 'brief #1' } }], ['a form id that is not text', { mcr: { f: 2 } }]])('reads %s as no form', (_, data) => {
    expect(decodeFormMeta(data)).toBeUndefined();
  });

  it('a card built from a form carries what its submit needs, and its values come back as the form’s', () => {
    const form: Form = {
      id: 'visit',
      title: 'Log a visit',
      submitLabel: 'Save',
      context: { account: '#12' },
      values: {},
      errors: {},
      fields: [
        { id: 'kinds', kind: 'multichoice', label: 'Kinds', required: false, options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] },
        { id: 'summary', kind: 'text', label: 'Summary', required: false },
      ],
    };
    const card = formCard(form, { rows: {}, key: 'k1' }, {}, { chooseFirst: '', loadChoices: '', required: (l) => l }) as unknown as { actions: Array<{ verb: string; data: { mcr: unknown } }> };
    const submit = card.actions.find((a) => a.verb === 'submit')!;
    const read = decodeFormMeta(submit.data)!;
    expect(read).toEqual({ form: 'visit', context: { account: '#12' }, rows: {}, multiValued: ['kinds'], key: 'k1' });
    expect(cardValues({ ...submit.data, kinds: 'a,b', summary: 'Met Tom' }, read)).toEqual({ kinds: ['a', 'b'], summary: 'Met Tom' });
  });
});
