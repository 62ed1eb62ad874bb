import type { Form, FormField, FormValues, InputField, Option } from '../core/reply.ts';
import { card, textBlock, type Card, type CardElement } from './cards.ts';
import { fit } from '../core/format.ts';
import { datasetOf } from './datasets.ts';
import { TEAMS_LIMITS } from './limits.ts';

/** What a form card carries for us, back on every press of its buttons. */
export interface FormMeta {
  /** The form id (where the submission goes). */
  form: string;
  /** The form's own context. */
  context: Record<string, string>;
  /** How many rows each rows-field shows. */
  rows: Record<string, number>;
  /** Ids of inputs that take several values (Teams sends them comma-joined). */
  multiValued: string[];
  /** One key per card, kept when it is shown again: a replayed submit writes once. */
  key: string;
}

/** What a button asks beyond the form: a row added to this rows-field, or the choices of this field loaded. */
export interface ButtonIntent {
  addRow?: string;
  loadFor?: string;
}

/**
 * `data.mcr` as it travels in a card's buttons: one-letter keys, as every button of a
 * card repeats it and a card must stay under Teams' size limit (and a card sent before
 * a deploy comes back in this shape). Read and written only by the two functions below.
 */
interface FormMetaWire {
  f: string;
  c: Record<string, string>;
  r: Record<string, number>;
  m: string[];
  k: string;
  add?: string;
  for?: string;
}

/** A form card's metadata (and what its button asks) as `data.mcr`. */
export function encodeFormMeta(meta: FormMeta, intent: ButtonIntent = {}): { mcr: FormMetaWire } {
  return { mcr: { f: meta.form, c: meta.context, r: meta.rows, m: meta.multiValued, k: meta.key, ...(intent.addRow && { add: intent.addRow }), ...(intent.loadFor && { for: intent.loadFor }) } };
}

/** A pressed form button's `data.mcr` read back, when it is a form's. */
export function decodeFormMeta(data: { mcr?: unknown }): (FormMeta & ButtonIntent) | undefined {
  const wire = data.mcr as Partial<FormMetaWire> | undefined;
  if (!wire || typeof wire !== 'object' || typeof wire.f !== 'string') return undefined;
  return {
    form: wire.f,
    context: wire.c && typeof wire.c === 'object' ? wire.c : {},
    rows: wire.r && typeof wire.r === 'object' ? wire.r : {},
    multiValued: Array.isArray(wire.m) ? wire.m : [],
    key: typeof wire.k === 'string' ? wire.k : '',
    ...(typeof wire.add === 'string' && { addRow: wire.add }),
    ...(typeof wire.for === 'string' && { loadFor: wire.for }),
  };
}

/** Labels the card needs that are not the form's own. */
export interface FormCardText {
  /** Under a contacts list whose account is not chosen yet. */
  chooseFirst: string;
  /** The button that loads the chosen account's contacts. */
  loadChoices: string;
  /** The message Teams shows on a required field left empty. */
  required(label: string): string;
}

/**
 * A neutral form as an Adaptive Card: one input per field (id = field id,
 * `next_steps.0.due` for a cell of a row), labels, `isRequired` with an
 * `errorMessage`, the values kept and the server's messages under their fields.
 * Choices for lookups are given, already fetched for this user.
 */
export function formCard(form: Form, meta: Pick<FormMeta, 'rows' | 'key'>, choices: Record<string, Option[]>, text: FormCardText): Card {
  const rows: Record<string, number> = {};
  const multi: string[] = [];
  const body: CardElement[] = [textBlock(form.title, { size: 'Large', weight: 'Bolder' })];
  const data = (intent: ButtonIntent) => encodeFormMeta({ form: form.id, context: form.context, rows, multiValued: multi, key: meta.key }, intent);
  const pending: Array<{ at: number; field: string }> = [];
  const errorsShown = new Set<string>();
  const input = (field: InputField, id: string, value: FormValues[string], required = field.required, label = field.label) => {
    const dataset = field.kind === 'lookup' ? datasetOf(field.source, field.dependsOn ? String(form.values[field.dependsOn] ?? '') : undefined) : undefined;
    const element = inputElement(field, id, value, required ? text.required(label) : undefined, label, choices[field.id] ?? [], dataset);
    if (field.kind === 'multichoice' || (field.kind === 'lookup' && field.multiple)) multi.push(id);
    if (element) {
      body.push(element);
      if (field.hint) body.push(textBlock(field.hint, { isSubtle: true, size: 'Small', spacing: 'None' }));
    } else {
      // A list that follows another field (contacts follow the account): ask to choose that first.
      body.push(textBlock(`${label}: ${text.chooseFirst}`, { isSubtle: true }));
      pending.push({ at: body.length, field: id });
    }
    const error = form.errors[id];
    if (error) {
      body.push(textBlock(error, { color: 'Attention', spacing: 'None', size: 'Small' }));
      errorsShown.add(id);
    }
  };
  for (const field of form.fields) {
    if (field.kind !== 'rows') {
      input(field, field.id, form.values[field.id]);
      continue;
    }
    const given = Array.isArray(form.values[field.id]) ? (form.values[field.id] as Array<Record<string, string>>) : [];
    const count = Math.min(field.maxRows, Math.max(1, meta.rows[field.id] ?? 0, given.length));
    rows[field.id] = count;
    for (let i = 0; i < count; i++) {
      for (const cell of field.fields) {
        const value = typeof given[i] === 'object' ? given[i]![cell.id] : undefined;
        // Cells are optional on the card: an empty row is no next step (the server checks filled ones).
        input(cell, `${field.id}.${i}.${cell.id}`, value, false, `${field.label} ${i + 1} · ${cell.label}`);
      }
    }
    if (count < field.maxRows) body.push({ type: 'ActionSet', actions: [{ type: 'Action.Execute', title: fit(field.addLabel, TEAMS_LIMITS.actionTitle), verb: 'add-row', data: data({ addRow: field.id }) }] });
  }
  for (const { at, field } of pending.reverse()) {
    body.splice(at, 0, { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: fit(text.loadChoices, TEAMS_LIMITS.actionTitle), verb: 'refresh', data: data({ loadFor: field }) }] });
  }
  // Messages for the form as a whole (or for a field not on the card) go on top.
  const loose = Object.entries(form.errors).filter(([id]) => !errorsShown.has(id)).map(([, message]) => message);
  if (loose.length > 0) body.splice(1, 0, textBlock(loose.join('\n\n'), { color: 'Attention' }));
  return card(body, [{ type: 'Action.Execute', title: fit(form.submitLabel, TEAMS_LIMITS.actionTitle), verb: 'submit', style: 'positive', data: data({}) }]);
}

function inputElement(field: InputField, id: string, value: FormValues[string], requiredMessage: string | undefined, label: string, choices: Option[], dataset?: string): CardElement | undefined {
  const text = typeof value === 'string' && value !== '' ? value : undefined;
  const list = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : text ? [text] : [];
  const base = { id, label, isRequired: requiredMessage !== undefined, ...(requiredMessage && { errorMessage: requiredMessage }) };
  switch (field.kind) {
    case 'text':
    case 'longtext':
      return { type: 'Input.Text', ...base, isMultiline: field.kind === 'longtext', ...(field.maxLength && { maxLength: field.maxLength }), ...(text && { value: text }) };
    case 'number': {
      const number = text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
      return { type: 'Input.Number', ...base, ...(field.min !== undefined && { min: field.min }), ...(field.max !== undefined && { max: field.max }), ...(number !== undefined && { value: number }) };
    }
    case 'date':
      return { type: 'Input.Date', ...base, ...(text && /^\d{4}-\d{2}-\d{2}$/.test(text) && { value: text }) };
    case 'choice':
    case 'multichoice':
    case 'lookup': {
      const options = field.kind === 'lookup' ? choices : field.options;
      if (field.kind === 'lookup' && field.dependsOn && options.length === 0) return undefined;
      const multiple = field.kind === 'multichoice' || (field.kind === 'lookup' && field.multiple);
      const chosen = list.filter((v) => options.some((o) => o.value === v));
      return {
        type: 'Input.ChoiceSet',
        ...base,
        // `filtered` is Teams' static typeahead: typing narrows the list.
        style: field.kind === 'lookup' ? 'filtered' : 'compact',
        isMultiSelect: multiple,
        choices: options.slice(0, TEAMS_LIMITS.choices).map((o) => ({ title: fit(o.label, 100), value: o.value })),
        // Dynamic type-ahead: what is typed is searched on the server (every account, not only those listed); the static choices stay as the fallback.
        ...(dataset && { 'choices.data': { type: 'Data.Query', dataset } }),
        ...(chosen.length > 0 && { value: multiple ? chosen.join(',') : chosen[0] }),
      };
    }
  }
}

/** Every lookup field of a form, row cells included. */
export function lookupFields(form: Form): Array<Extract<FormField, { kind: 'lookup' }>> {
  return form.fields.flatMap((f) => (f.kind === 'rows' ? f.fields : [f])).filter((f): f is Extract<FormField, { kind: 'lookup' }> => f.kind === 'lookup');
}

/**
 * A card's submitted inputs → the form's values: comma-joined multi-selects become
 * lists, `next_steps.1.due` becomes a cell of row 2.
 */
export function cardValues(data: Record<string, unknown>, meta: Pick<FormMeta, 'rows' | 'multiValued'>): FormValues {
  const values: FormValues = {};
  for (const [id, raw] of Object.entries(data)) {
    if (id === 'mcr' || (typeof raw !== 'string' && typeof raw !== 'number')) continue;
    const text = String(raw);
    const value = meta.multiValued.includes(id) ? text.split(',').map((v) => v.trim()).filter(Boolean) : text;
    const [field, row, cell] = id.split('.');
    if (row === undefined || cell === undefined) {
      values[field!] = value;
      continue;
    }
    const rows = (values[field!] ??= []) as Array<Record<string, string>>;
    rows[Number(row)] = { ...rows[Number(row)], [cell]: typeof value === 'string' ? value : value.join(',') };
  }
  for (const [id, count] of Object.entries(meta.rows)) {
    const rows = (values[id] ?? []) as Array<Record<string, string> | undefined>;
    values[id] = Array.from({ length: Math.max(count, rows.length) }, (_, i) => rows[i] ?? {});
  }
  return values;
}
