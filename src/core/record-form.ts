import type * as z from 'zod';
import type { DbOrTrx } from '../db/create-db.ts';
import { findPeopleByIds } from '../db/person.repository.ts';
import { labelKey, t, type IdIn, type Locale, type Vars } from '../i18n/index.ts';
import type { Args } from './args.ts';
import { UsageError } from './errors.ts';
import type { Context } from './command.ts';
import { submitOrReturn, textValue, valuesFromFlags } from './forms.ts';
import type { Form, FormField, FormValues, Reply } from './reply.ts';
import { earlierReply, transact, type Writer } from './transact.ts';
import { validate } from './validate.ts';

/**
 * The add/edit form of a named record (`account`, `contact`): how it opens, what it
 * shows, and how a submit is checked, written and answered. The commands say only what
 * is their own: fields, checks and what is stored.
 */

/** The commands that keep a record with an add/edit form: the form ids are `<kind>.add` and `<kind>.edit`. */
export type RecordKind = 'account' | 'contact';

interface Named {
  id: number;
  name: string;
}

/** `<kind> add|edit`: flags that fill fields (`--industry Retail`) submit at once; without any, the form opens with what was given. */
export function formOrSubmit(args: Args, flagFields: readonly string[], base: FormValues, form: (values: FormValues) => Form, submit: (values: FormValues) => Promise<Reply>): Promise<Reply> | Reply {
  const fromFlags = valuesFromFlags(args.flags, flagFields);
  const values = { ...base, ...fromFlags };
  if (Object.keys(fromFlags).length > 0) return submit(values);
  return { blocks: [], form: form(values), visibility: 'private' };
}

/**
 * `<kind> edit` with no flag that changes a field: the CLI has no form to open, so the
 * line is a usage error naming the flags (exit 2, nothing written); in chat and the
 * console the edit form opens with the record's values, as a user there expects.
 */
export function refuseEmptyEdit(ctx: Context, args: Args, flagFields: readonly string[], kind: RecordKind): void {
  if (ctx.via !== 'cli' || Object.keys(valuesFromFlags(args.flags, flagFields)).length > 0) return;
  throw new UsageError({ code: 'usage.nothing_to_change', flags: flagFields.map((f) => f.replace(/_/g, '-')) }, kind);
}

/** The form of a new record, or of an existing one (its id travels in the form's context). */
export function recordForm(locale: Locale, kind: RecordKind, existing: Named | undefined, fields: FormField[], values: FormValues): Form {
  return {
    id: `${kind}.${existing ? 'edit' : 'add'}`,
    title: existing ? t(locale, labelKey(kind, 'edit_title'), { name: existing.name }) : t(locale, labelKey(kind, 'add_title')),
    submitLabel: t(locale, 'form.save'),
    fields,
    values,
    errors: {},
    context: existing ? { [kind]: String(existing.id) } : {},
  };
}

/** Fields that name one of our people, each labelled by its id. */
export function personFields(locale: Locale, ids: ReadonlyArray<IdIn<'field'>>): FormField[] {
  return ids.map((id) => ({ id, kind: 'lookup', source: 'person', multiple: false, label: t(locale, labelKey('field', id)), required: false }));
}

/** People as an edit form shows them: by email (readable in the console), else `#id`; unset ones absent. */
export async function personValues<K extends string>(ctx: Context, ids: Record<K, number | null>): Promise<Record<K, string | undefined>> {
  const people = await findPeopleByIds(ctx.db, Object.values<number | null>(ids).filter((id): id is number => id !== null));
  const shown = (id: number | null) => (id === null ? undefined : people.get(id)?.email ?? `#${id}`);
  return Object.fromEntries(Object.entries<number | null>(ids).map(([field, id]) => [field, shown(id)])) as Record<K, string | undefined>;
}

export interface RecordSubmit<S extends z.ZodType, F, R extends Named> {
  kind: RecordKind;
  existing: R | undefined;
  /** The form again, for bad input (values kept, messages on their fields). */
  form: (values: FormValues) => Form;
  /** The form's fields, read as trimmed text (blank: not given). */
  fieldIds: readonly string[];
  /** Vocabulary typed in either language made its id, before the schema checks it. */
  normalise?: (raw: Record<string, string | undefined>) => void;
  schema: S;
  /** Names resolved, permissions and duplicates checked: what to store. Nothing is written yet. */
  resolve: (input: z.infer<S>) => Promise<F>;
  /** Stores it (and its audit) in the submit's one transaction: the saved record. */
  write: (w: Writer, fields: F, input: z.infer<S>) => Promise<R>;
  /** The saved record as its `show` answers it. */
  show: (saved: R, db: DbOrTrx) => Promise<Reply>;
  /** What the title says besides the record's name (`contact.created`: its account). */
  titleVars?: (saved: R, resolved: F) => Vars;
}

/** A record form's submit: read, check, resolve, write once, answer with the record and what was done. */
export function submitRecord<S extends z.ZodType, F, R extends Named>(ctx: Context, values: FormValues, spec: RecordSubmit<S, F, R>): Promise<Reply> {
  const L = ctx.locale;
  return submitOrReturn(ctx, spec.form, values, async () => {
    const raw: Record<string, string | undefined> = Object.fromEntries(spec.fieldIds.map((f) => [f, textValue(values[f])]));
    // A retried submission answers as the first did, before the checks that the first's write would now fail.
    const replay = await earlierReply(ctx);
    if (replay) return replay;
    spec.normalise?.(raw);
    const input = validate(spec.schema, raw);
    let fields: F;
    try {
      fields = await spec.resolve(input);
    } catch (error) {
      // The first of a double submission committed while this one was checking.
      const late = await earlierReply(ctx);
      if (late) return late;
      throw error;
    }
    return transact(ctx, `${spec.kind}.${spec.existing ? 'edit' : 'add'}`, async (w) => {
      const saved = await spec.write(w, fields, input);
      const reply = await spec.show(saved, w.trx);
      return { ...reply, title: t(L, labelKey(spec.kind, spec.existing ? 'updated' : 'created'), { name: saved.name, ...spec.titleVars?.(saved, fields) }) };
    });
  });
}
