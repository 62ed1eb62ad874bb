import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { InputError, invalidField, translate } from '../../src/core/errors.ts';
import { nameFieldError } from '../../src/core/forms.ts';
import { NameError } from '../../src/core/errors.ts';
import { validate } from '../../src/core/validate.ts';
import { t } from '../../src/i18n/index.ts';
import { actor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/** What validate throws for this input, caught. */
function thrown(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('nothing thrown');
}

describe('input errors carry codes and values, translated where the reply is rendered (issue 16 part 2)', () => {
  it('validate names each field by code, with no text in any language', () => {
    const error = thrown(() => validate(z.object({ date: z.string().min(1), next_steps: z.array(z.object({ due: z.string().max(2) })) }), { date: '', next_steps: [{ due: 'abcd' }] }));
    expect(error.fields.date).toEqual({ code: 'validation.field', values: { field: { code: 'field.date' }, reason: { code: 'validation.required' } } });
    expect(JSON.stringify(error.fields)).not.toMatch(/Date|Required|日期/);
    // The same error reads in each user's language, built from the catalogs' own words.
    expect(error.messages('en')).toEqual({
      date: t('en', 'validation.field', { field: t('en', 'field.date'), reason: t('en', 'validation.required') }),
      'next_steps.0.due': t('en', 'validation.field', { field: `${t('en', 'field.next_steps')} 1 · ${t('en', 'field.due')}`, reason: t('en', 'validation.max_length', { max: 2 }) }),
    });
    expect(error.messages('zh-CN').date).toBe(t('zh-CN', 'validation.field', { field: t('zh-CN', 'field.date'), reason: t('zh-CN', 'validation.required') }));
    expect(error.messages('zh-CN').date).not.toBe(error.messages('en').date);
  });

  it('a name that matched nothing keeps its query and candidates as values', () => {
    const error = nameFieldError('account', new NameError('name.not_found', 'account', 'acm', [{ value: '1', label: 'Acme Telecom' }]));
    expect(translate('en', error.fields.account!)).toBe(
      t('en', 'validation.field', { field: t('en', 'field.account'), reason: `${t('en', 'error.name.not_found.some', { kind: t('en', 'kind.account'), query: 'acm' })} Acme Telecom` }),
    );
  });

  it('a field given its own label keeps it as written', () => {
    expect(translate('zh-CN', invalidField('since', { code: 'validation.date' }, '--since'))).toBe(t('zh-CN', 'validation.field', { field: '--since', reason: t('zh-CN', 'validation.date') }));
  });

  describe('through a command', () => {
    let db: Awaited<ReturnType<typeof tempDb>>;
    beforeEach(async () => {
      db = await tempDb();
    });
    afterEach(async () => db.cleanup());

    it('a form refused in Chinese shows the Chinese message on its field and in the list, the same text', async () => {
      const admin = await actor(db.db, { locale: 'zh-CN' });
      await admin.run('account add "Acme Telecom" --tier strategic');
      const reply = await admin.submit('visit', { account: 'Acme', date: '2999-01-01', type: 'visit' });
      const expected = t('zh-CN', 'validation.field', { field: t('zh-CN', 'field.date'), reason: t('zh-CN', 'validation.future') });
      expect(reply.status).toBe('error');
      expect(reply.form?.errors).toEqual({ date: expected });
      expect(reply.blocks).toContainEqual({ type: 'list', items: [expected] });
      expect(await db.db.selectFrom('activities').selectAll().execute()).toEqual([]);
    });
  });
});
