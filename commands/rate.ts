import { z } from 'zod';
import { listRatingsForAttitude, insertRating } from '../src/db/rating.repository.ts';
import { arg, closest, flag } from '../src/core/args.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { fieldLabelOf, InputError, invalidField, NameError, UsageError } from '../src/core/errors.ts';
import { attitudeJson, attitudeText, ref } from '../src/core/format.ts';
import { submitOrReturn, textValue } from '../src/core/forms.ts';
import type { Form, FormValues, Reply } from '../src/core/reply.ts';
import { matchId, matchLevel, resolveAccount, resolveContact } from '../src/core/resolve.ts';
import { transact } from '../src/core/transact.ts';
import { freeText, validate } from '../src/core/validate.ts';
import { attitudeWithTrend, quickRatingValues } from '../src/domain/attitude.ts';
import { isIsoDate } from '../src/domain/dates.ts';
import { DIMENSIONS, LEVEL_VALUE, LEVELS, type Dimension, type Level } from '../src/domain/model.ts';
import type { Contact } from '../src/domain/types.ts';
import { label, labelKey, t } from '../src/i18n/index.ts';

const schema = z.object({
  date: z.string().refine(isIsoDate, 'validation.date'),
  note: freeText(1000, { multiline: true }).optional(),
  ...Object.fromEntries(DIMENSIONS.map((d) => [d, z.enum(LEVELS).optional()])),
}) as z.ZodType<{ date: string; note?: string } & Partial<Record<Dimension, Level>>>;

/**
 * `rate <contact> [level]`: how a contact feels about us (§3). With a level: a quick
 * rating on all six dimensions (or one, with `--dimension`); without: the six-dimension form.
 */
export const rate = defineCommand({
  name: 'rate',
  slash: true,
  usage: 'rate <contact> [level] [--account A] [--dimension D] [--date YYYY-MM-DD] [--note "…"]',
  summary: 'cmd.rate.summary',
  grammar: {
    subject: { name: 'contact', required: true, picker: 'contact', then: [{ name: 'level', spec: arg.level() }] },
    flags: { account: arg.text('A'), dimension: arg.choice(DIMENSIONS, 'dimension'), date: arg.date(), note: arg.text() },
  },
  examples: ['rate "Tom Baker" coach', 'rate 李娜 支持 --account 华信银行', 'rate Margaret 2 --dimension information', 'rate Priya'],
  run: async (ctx, args) => {
    // The level is the last word or two ("coach", "exclusive supporter", "支持并排他"); the rest names the contact.
    const words = [...args.positional];
    let level: Level | undefined;
    for (const take of [2, 1]) {
      if (level || words.length <= take) continue;
      level = matchLevel(words.slice(-take).join(' '));
      if (level) words.splice(-take);
    }
    const account = flag(args, 'account') ? await resolveAccount(ctx, flag(args, 'account')!) : undefined;
    if (!level && words.length > 1) await refuseWrongLevel(ctx, words, account?.id);
    const contact = await resolveContact(ctx, words.join(' '), account?.id);
    const values: FormValues = { date: flag(args, 'date') ?? ctx.today, note: flag(args, 'note') };
    if (!level) return { blocks: [], form: rateForm(ctx, contact, values), visibility: 'private' };
    const dimensionText = flag(args, 'dimension');
    if (dimensionText !== undefined) {
      const dimension = matchId('dimension', DIMENSIONS, dimensionText);
      if (!dimension) throw new InputError({ dimension: invalidField('dimension', { code: 'validation.one_of', values: { values: DIMENSIONS.join(', ') } }) });
      values[dimension] = level;
    } else {
      Object.assign(values, Object.fromEntries(Object.entries(quickRatingValues(level)).map(([d, v]) => [d, LEVELS[v + 1]])));
    }
    return submit(ctx, contact, values);
  },
  forms: {
    rate: {
      submit: async (ctx, values, context) => submit(ctx, await resolveContact(ctx, `#${context.contact}`), values),
    },
  },
});

/**
 * `rate Tom 7`: no contact is called "Tom 7", but "Tom" is one, so the fault is the
 * level; the error says so and lists the levels (each a button with only the level replaced).
 */
async function refuseWrongLevel(ctx: Context, words: string[], accountId: number | undefined): Promise<void> {
  const whole = await resolveContact(ctx, words.join(' '), accountId).then(() => undefined, (error: unknown) => error);
  if (!(whole instanceof NameError) || whole.code !== 'name.not_found') return;
  const before = await resolveContact(ctx, words.slice(0, -1).join(' '), accountId).catch(() => undefined);
  if (!before) return;
  const typed = words.at(-1)!;
  const near = closest(typed, LEVELS);
  throw new UsageError(
    { code: 'usage.bad_value', argument: 'level', value: typed, expects: 'level', valid: [...LEVELS], group: 'level', candidates: near.length > 0 ? near : [...LEVELS], target: { kind: 'words', from: words.length - 1, to: words.length } },
    'rate',
  );
}

function rateForm(ctx: Context, contact: Contact, values: FormValues): Form {
  const L = ctx.locale;
  const levels = LEVELS.map((l) => ({ value: l, label: `${LEVEL_VALUE[l]} · ${label(L, 'level', l)}` }));
  return {
    id: 'rate',
    title: t(L, 'rate.title', { name: contact.name }),
    submitLabel: t(L, 'rate.submit'),
    fields: [
      ...DIMENSIONS.map((d) => ({ id: d, kind: 'choice' as const, label: label(L, 'dimension', d), hint: t(L, labelKey('dimension_hint', d)), required: false, options: levels })),
      { id: 'date', kind: 'date', label: t(L, 'field.date'), required: true },
      { id: 'note', kind: 'longtext', label: t(L, 'field.note'), required: false, maxLength: 1000 },
    ],
    values,
    errors: {},
    context: { contact: String(contact.id) },
  };
}

async function submit(ctx: Context, contact: Contact, values: FormValues): Promise<Reply> {
  const L = ctx.locale;
  return submitOrReturn(ctx, (v) => rateForm(ctx, contact, v), values, async () => {
    const input = validate(
      schema,
      {
        date: textValue(values.date) ?? ctx.today,
        note: textValue(values.note),
        ...Object.fromEntries(DIMENSIONS.map((d) => [d, textValue(values[d]) && (matchLevel(textValue(values[d])!) ?? textValue(values[d]))])),
      },
      (field) => (DIMENSIONS.includes(field as Dimension) ? { code: `dimension.${field as Dimension}` } : fieldLabelOf(field)),
    );
    const rated = DIMENSIONS.filter((d) => input[d] !== undefined);
    if (rated.length === 0) throw new InputError({ acceptance: { code: 'rate.none' } });
    if (input.date > ctx.today) throw new InputError({ date: invalidField('date', { code: 'validation.future' }) });
    const ratingValues = Object.fromEntries(rated.map((d) => [d, LEVEL_VALUE[input[d]!]]));

    return transact(ctx, 'rate', async (w) => {
      const rating = await insertRating(w.trx, { contactId: contact.id, ratedBy: ctx.actor.id, date: input.date, values: ratingValues, note: input.note ?? null }, ctx.now);
      await w.audit('rating.create', 'rating', rating.id, { contact: contact.name, values: ratingValues, date: input.date });
      const ratings = await listRatingsForAttitude(w.trx, [contact.id], ctx.today, ctx.rules.attitudeWindowDays, ctx.rules.trendLookbackDays);
      const attitude = attitudeWithTrend(ratings, ctx.today, ctx.rules);
      return {
        title: t(L, 'rate.recorded', { name: contact.name }),
        blocks: [
          { type: 'fields', fields: rated.map((d) => ({ label: label(L, 'dimension', d), value: label(L, 'level', input[d]!) })) },
          { type: 'text', text: t(L, 'rate.now', { attitude: attitudeText(L, attitude) }) },
          { type: 'actions', actions: [{ label: t(L, 'action.brief'), command: `brief --contact #${contact.id}` }] },
        ],
        visibility: 'private',
        data: { rating: { id: rating.id, contact: ref(contact), date: input.date, values: ratingValues }, attitude: attitudeJson(attitude) },
      };
    });
  });
}
