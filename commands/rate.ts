import * as z from 'zod';
import { findRatingById, insertRating, listRatingsForAttitude, updateRating } from '../src/db/rating.repository.ts';
import { arg, type Args, closest, flag } from '../src/core/args.ts';
import { type Context, defineCommand } from '../src/core/command.ts';
import { AppError, fieldLabelOf, InputError, invalidField, NameError, UsageError } from '../src/core/errors.ts';
import { readState } from '../src/db/undo.repository.ts';
import { confirmFirst, recordRef } from '../src/core/confirm.ts';
import { attitudeJson, attitudeText, ref } from '../src/core/format.ts';
import { submitOrReturn, textValue } from '../src/core/forms.ts';
import type { Form, FormValues, Reply } from '../src/core/reply.ts';
import { matchId, matchLevel, resolveAccount, resolveContact } from '../src/core/resolve.ts';
import { guardAuthor } from '../src/core/role-guard.ts';
import { transact, type Writer } from '../src/core/transact.ts';
import { deleteWithUndo, offerUndo } from '../src/core/undo.ts';
import { freeText, validate } from '../src/core/validate.ts';
import { attitudeWithTrend, quickRatingValues } from '../src/domain/attitude.ts';
import { isIsoDate } from '../src/domain/dates.ts';
import { DIMENSIONS, LEVEL_VALUE, LEVELS, type Dimension, type Level } from '../src/domain/model.ts';
import type { Contact, Rating } from '../src/domain/types.ts';
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
  usage: 'rate <contact> [level] [--account A] [--dimension D] [--date YYYY-MM-DD] [--note "…"] | rate edit|delete #id',
  summary: 'cmd.rate.summary',
  grammar: {
    subject: { name: 'contact', required: true, picker: 'contact', then: [{ name: 'level', spec: arg.level() }] },
    flags: { account: arg.text('A'), dimension: arg.choice(DIMENSIONS, 'dimension'), date: arg.date(), note: arg.text() },
    subs: {
      edit: { subject: { name: 'id', required: true, then: [{ name: 'level', spec: arg.level() }] } },
      delete: { subject: { name: 'id', required: true }, flags: { yes: arg.boolean() } },
    },
    subOptional: true,
  },
  examples: ['rate "Tom Baker" coach', 'rate 李娜 支持 --account 华信银行', 'rate Margaret 2 --dimension information', 'rate Priya'],
  run: async (ctx, args) => {
    const correction = recordRef(args.positional, rate.usage);
    if (correction?.verb === 'delete') return deleteRating(ctx, correction.id, args);
    // The level is the last word or two ("coach", "exclusive supporter", "支持并排他"); the rest names the contact.
    const words = correction ? correction.rest : [...args.positional];
    let level: Level | undefined;
    for (const take of [2, 1]) {
      if (level || words.length < take || (!correction && words.length === take)) continue;
      level = matchLevel(words.slice(-take).join(' '));
      if (level) words.splice(-take);
    }
    if (correction && words.length > 0) throw new AppError('command.usage', { usage: rate.usage });
    const editing = correction ? await findRating(ctx, correction.id) : undefined;
    const account = flag(args, 'account') && !editing ? await resolveAccount(ctx, flag(args, 'account')!) : undefined;
    if (!editing && !level && words.length > 1) await refuseWrongLevel(ctx, words, account?.id);
    const contact = await resolveContact(ctx, editing ? `#${editing.contactId}` : words.join(' '), account?.id);
    const values: FormValues = editing
      ? { date: flag(args, 'date') ?? editing.date, note: flag(args, 'note') ?? editing.note ?? undefined, ...Object.fromEntries(Object.entries(editing.values).map(([d, v]) => [d, LEVELS[v + 1]])) }
      : { date: flag(args, 'date') ?? ctx.today, note: flag(args, 'note') };
    // An edit with nothing to change on its line opens the form prefilled; the CLI then saves it as it is.
    if (!level && !(editing && (flag(args, 'date') || flag(args, 'note')))) return { blocks: [], form: rateForm(ctx, contact, values, editing?.id), visibility: 'private' };
    const dimensionText = flag(args, 'dimension');
    if (!level) {
      // An edit of its date or note only.
    } else if (dimensionText !== undefined) {
      const dimension = matchId('dimension', DIMENSIONS, dimensionText);
      if (!dimension) throw new InputError({ dimension: invalidField('dimension', { code: 'validation.one_of', values: { values: DIMENSIONS.join(', ') } }) });
      values[dimension] = level;
    } else {
      Object.assign(values, Object.fromEntries(Object.entries(quickRatingValues(level)).map(([d, v]) => [d, LEVELS[v + 1]])));
    }
    return submit(ctx, contact, values, editing?.id);
  },
  forms: {
    rate: {
      submit: async (ctx, values, context) => submit(ctx, await resolveContact(ctx, `#${context.contact}`), values, context.rating ? Number(context.rating) : undefined),
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

/** A rating its author (or an admin) may correct. */
async function findRating(ctx: Context, id: number): Promise<Rating & { note: string | null }> {
  const rating = await findRatingById(ctx.db, id);
  if (!rating) throw new AppError('rating.not_found', { id });
  await guardAuthor(ctx, 'rating', id, t(ctx.locale, 'rate.record', { id }), rating.ratedBy);
  return rating;
}

/** `rate delete #7`: asks first; the contact's attitude is worked out again without it at once. */
async function deleteRating(ctx: Context, id: number, args: Args): Promise<Reply> {
  const L = ctx.locale;
  const rating = await findRating(ctx, id);
  const contact = await resolveContact(ctx, `#${rating.contactId}`);
  const what = t(L, 'rate.delete_what', { id, name: contact.name, date: rating.date });
  const ask = confirmFirst(ctx, args, what, `rate delete #${id}`);
  if (ask) return ask;
  return transact(ctx, 'rate', async (w) => {
    const undo = await deleteWithUndo(ctx, w, 'rating', id, { contact: contact.id, date: rating.date }, () => new AppError('rating.not_found', { id }));
    const attitude = await attitudeNow(ctx, w, contact);
    return {
      blocks: [
        { type: 'text', text: t(L, 'rate.deleted', { what }), tone: 'success' },
        { type: 'text', text: t(L, 'rate.now', { attitude: attitudeText(L, attitude) }) },
        undo.text,
        { type: 'actions', actions: [undo.action, { label: t(L, 'action.brief'), command: `brief --contact #${contact.id}` }] },
      ],
      visibility: 'private',
      data: { deleted: { rating: id }, attitude: attitudeJson(attitude), undo: undo.token },
    };
  });
}

async function attitudeNow(ctx: Context, w: Writer, contact: Contact) {
  const ratings = await listRatingsForAttitude(w.trx, [contact.id], ctx.today, ctx.rules.attitudeWindowDays, ctx.rules.trendLookbackDays);
  return attitudeWithTrend(ratings, ctx.today, ctx.rules);
}

function rateForm(ctx: Context, contact: Contact, values: FormValues, editing?: number): Form {
  const L = ctx.locale;
  const levels = LEVELS.map((l) => ({ value: l, label: `${LEVEL_VALUE[l]} · ${label(L, 'level', l)}` }));
  return {
    id: 'rate',
    title: editing ? t(L, 'rate.edit_title', { id: editing, name: contact.name }) : t(L, 'rate.title', { name: contact.name }),
    submitLabel: t(L, 'rate.submit'),
    fields: [
      ...DIMENSIONS.map((d) => ({ id: d, kind: 'choice' as const, label: label(L, 'dimension', d), hint: t(L, labelKey('dimension_hint', d)), required: false, options: levels })),
      { id: 'date', kind: 'date', label: t(L, 'field.date'), required: true },
      { id: 'note', kind: 'longtext', label: t(L, 'field.note'), required: false, maxLength: 1000 },
    ],
    values,
    errors: {},
    context: { contact: String(contact.id), ...(editing && { rating: String(editing) }) },
  };
}

async function submit(ctx: Context, contact: Contact, values: FormValues, editing?: number): Promise<Reply> {
  const L = ctx.locale;
  return submitOrReturn(ctx, (v) => rateForm(ctx, contact, v, editing), values, async () => {
    // Checked again on submit: a form can be replayed by anyone.
    const original = editing ? await findRating(ctx, editing) : undefined;
    if (original && original.contactId !== contact.id) throw new AppError('rating.not_found', { id: editing! });
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
      let id: number;
      let undo;
      if (original) {
        id = original.id;
        const before = await readState(w.trx, 'rating', id);
        if (before === null) throw new AppError('rating.not_found', { id });
        // The rater stays who rated; the correction is the editor's, in the audit log.
        await updateRating(w.trx, id, { contactId: contact.id, ratedBy: original.ratedBy, date: input.date, values: ratingValues, note: input.note ?? null });
        await w.audit('rating.update', 'rating', id, { contact: contact.id, values: ratingValues, date: input.date });
        undo = await offerUndo(ctx, w, 'rating.update', 'rating', id, before);
      } else {
        id = (await insertRating(w.trx, { contactId: contact.id, ratedBy: ctx.actor.id, date: input.date, values: ratingValues, note: input.note ?? null }, ctx.now)).id;
        await w.audit('rating.create', 'rating', id, { contact: contact.name, values: ratingValues, date: input.date });
        undo = await offerUndo(ctx, w, 'rating.create', 'rating', id, null);
      }
      const attitude = await attitudeNow(ctx, w, contact);
      return {
        title: original ? t(L, 'rate.updated', { id, name: contact.name }) : t(L, 'rate.recorded', { name: contact.name }),
        blocks: [
          { type: 'fields', fields: rated.map((d) => ({ label: label(L, 'dimension', d), value: label(L, 'level', input[d]!) })) },
          { type: 'text', text: t(L, 'rate.now', { attitude: attitudeText(L, attitude) }) },
          undo.text,
          {
            type: 'actions',
            actions: [
              undo.action,
              { label: t(L, 'action.edit'), command: `rate edit #${id}` },
              ...(original ? [] : [{ label: t(L, 'action.delete'), command: `rate delete #${id}` }]),
              { label: t(L, 'action.brief'), command: `brief --contact #${contact.id}` },
            ],
          },
        ],
        visibility: 'private',
        data: { rating: { id, contact: ref(contact), date: input.date, values: ratingValues }, attitude: attitudeJson(attitude), undo: undo.token },
      };
    });
  });
}
