import type { types } from '@slack/bolt';
import type { Form, FormField, FormValues, InputField, Option } from '../core/reply.ts';

type KnownBlock = types.KnownBlock;
type View = types.View;
import { fit, LIMITS } from './limits.ts';

/** What a modal carries for us (Slack keeps it in `private_metadata` and gives it back on every action and the submit). */
export interface ModalMeta {
  /** The form id (where the submission goes). */
  form: string;
  /** The form's own context. */
  context: Record<string, string>;
  /** How many rows each rows-field shows. */
  rows: Record<string, number>;
  /** The channel the form was opened from, for the confirmation. */
  channel?: string;
  /** Bumped each time the form is redrawn for another account: lists that follow it get new block ids, so Slack forgets their old picks. */
  version?: number;
  /**
   * Opened from the Home tab, which the user is looking at: it is published again once the
   * form is saved. Elsewhere it is not (Slack sends `app_home_opened` each time the tab is
   * entered, and it is published fresh then), which spares a Home built for nobody per visit.
   */
  fromHome?: boolean;
}

/**
 * `private_metadata` as it travels: one-letter keys, as Slack keeps at most 3,000
 * characters and the form's context is in it (a modal opened before a deploy also
 * comes back in this shape). Read and written only by the two functions below.
 */
interface ModalMetaWire {
  f: string;
  c: Record<string, string>;
  r: Record<string, number>;
  ch?: string;
  v?: number;
  h?: 1;
}

/** A modal's metadata as `private_metadata`. */
export function encodeModalMeta(meta: ModalMeta): string {
  const wire: ModalMetaWire = { f: meta.form, c: meta.context, r: meta.rows, ...(meta.channel && { ch: meta.channel }), ...(meta.version && { v: meta.version }), ...(meta.fromHome && { h: 1 as const }) };
  return JSON.stringify(wire);
}

/** A modal's `private_metadata` read back, when it is ours. */
export function decodeModalMeta(text: unknown): ModalMeta | undefined {
  try {
    const wire = JSON.parse(String(text)) as Partial<ModalMetaWire> | null;
    if (!wire || typeof wire !== 'object' || typeof wire.f !== 'string') return undefined;
    return {
      form: wire.f,
      context: wire.c && typeof wire.c === 'object' ? wire.c : {},
      rows: wire.r && typeof wire.r === 'object' ? wire.r : {},
      ...(typeof wire.ch === 'string' && { channel: wire.ch }),
      ...(typeof wire.v === 'number' && { version: wire.v }),
      ...(wire.h === 1 && { fromHome: true }),
    };
  } catch {
    return undefined;
  }
}

/**
 * Where a modal is opened from and how it is drawn, as src/slack/reply.ts's `modalFor`
 * passes it on: the channel it was opened from (or the Home tab), the rows shown per
 * rows-field and the version.
 */
export type ModalPlacement = Partial<Pick<ModalMeta, 'channel' | 'rows' | 'version' | 'fromHome'>>;

export const FORM_CALLBACK = 'mcr_form';
export const ADD_ROW_ACTION = 'form_add_row';
/** Lookup fields carry their source in the action id: `lookup:account`, `lookup:contact:account`. */
export const LOOKUP_PREFIX = 'lookup:';

/** How a prefilled value is shown: choice labels, people as Slack users. */
export interface InitialValues {
  /** `#12` → its option, for lookups of accounts and contacts. */
  option(field: Extract<FormField, { kind: 'lookup' }>, value: string): Option | undefined;
  /** A person value (`#12`, an email) → their Slack user id, when known. */
  slackUser(value: string): string | undefined;
}

/**
 * A neutral form as a Slack modal: one input block per field (block id = field id,
 * `next_steps.0.due` for a cell of a row), values prefilled, and "Add next step"
 * buttons for rows-fields.
 */
export function formModal(form: Form, placement: ModalPlacement, initial: InitialValues): View {
  const version = placement.version ?? 0;
  const rows: Record<string, number> = {};
  const blocks: KnownBlock[] = [];
  for (const field of form.fields) {
    if (field.kind === 'rows') {
      const given = Array.isArray(form.values[field.id]) ? (form.values[field.id] as Array<Record<string, string>>) : [];
      const count = Math.min(field.maxRows, Math.max(1, placement.rows?.[field.id] ?? 0, given.length));
      rows[field.id] = count;
      for (let i = 0; i < count; i++) {
        for (const cell of field.fields) {
          const value = typeof given[i] === 'object' ? given[i]![cell.id] : undefined;
          blocks.push(inputBlock({ ...cell, required: false, label: `${field.label} ${i + 1} · ${cell.label}` }, `${field.id}.${i}.${cell.id}`, value, initial));
        }
      }
      if (count < field.maxRows) {
        blocks.push({ type: 'actions', block_id: `add:${field.id}`, elements: [{ type: 'button', action_id: ADD_ROW_ACTION, value: field.id, text: { type: 'plain_text', text: fit(field.addLabel, LIMITS.buttonText) } }] });
      }
    } else {
      const blockId = field.kind === 'lookup' && field.dependsOn && version > 0 ? `${field.id}~${version}` : field.id;
      blocks.push(inputBlock(field, blockId, form.values[field.id], initial));
    }
  }
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK,
    title: { type: 'plain_text', text: fit(form.title, LIMITS.viewTitle) },
    submit: { type: 'plain_text', text: fit(form.submitLabel, LIMITS.viewTitle) },
    close: { type: 'plain_text', text: '✕' },
    private_metadata: encodeModalMeta({ form: form.id, context: form.context, rows, ...(placement.channel && { channel: placement.channel }), ...(version > 0 && { version }), ...(placement.fromHome && { fromHome: true }) }),
    blocks: blocks.slice(0, LIMITS.viewBlocks),
  };
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const option = (o: Option) => ({ text: plain(fit(o.label, LIMITS.optionText)), value: o.value });

function inputBlock(field: InputField, blockId: string, value: FormValues[string], initial: InitialValues): KnownBlock {
  const text = typeof value === 'string' && value !== '' ? value : undefined;
  const list = Array.isArray(value) ? (value.filter((v) => typeof v === 'string') as string[]) : text ? [text] : [];
  let element: Record<string, unknown>;
  switch (field.kind) {
    case 'text':
    case 'longtext':
      element = { type: 'plain_text_input', multiline: field.kind === 'longtext', ...(field.maxLength && { max_length: field.maxLength }), ...(text && { initial_value: text }) };
      break;
    case 'number':
      element = { type: 'number_input', is_decimal_allowed: false, ...(field.min !== undefined && { min_value: String(field.min) }), ...(field.max !== undefined && { max_value: String(field.max) }), ...(text && { initial_value: text }) };
      break;
    case 'date':
      element = { type: 'datepicker', ...(text && /^\d{4}-\d{2}-\d{2}$/.test(text) && { initial_date: text }) };
      break;
    case 'choice':
    case 'multichoice': {
      const options = field.options.slice(0, LIMITS.options).map(option);
      const chosen = options.filter((o) => list.includes(o.value));
      element =
        field.kind === 'choice'
          ? { type: 'static_select', options, ...(chosen[0] && { initial_option: chosen[0] }) }
          : { type: 'multi_static_select', options, ...(chosen.length > 0 && { initial_options: chosen }) };
      break;
    }
    case 'lookup': {
      if (field.source === 'person') {
        const users = list.map((v) => initial.slackUser(v)).filter((u): u is string => !!u);
        element = field.multiple ? { type: 'multi_users_select', ...(users.length > 0 && { initial_users: users }) } : { type: 'users_select', ...(users[0] && { initial_user: users[0] }) };
        break;
      }
      const chosen = list.map((v) => initial.option(field, v)).filter((o): o is Option => !!o).map(option);
      element = {
        type: field.multiple ? 'multi_external_select' : 'external_select',
        min_query_length: 0,
        ...(field.multiple ? chosen.length > 0 && { initial_options: chosen } : chosen[0] && { initial_option: chosen[0] }),
      };
      return {
        type: 'input',
        block_id: blockId,
        label: plain(fit(field.label, LIMITS.inputLabel)),
        optional: !field.required,
        // Choosing the account refreshes the form, so the contacts list follows it.
        dispatch_action: field.source === 'account',
        element: { ...element, action_id: `${LOOKUP_PREFIX}${field.source}${field.dependsOn ? `:${field.dependsOn}` : ''}` },
        ...(field.hint && { hint: plain(fit(field.hint, LIMITS.inputLabel)) }),
      } as KnownBlock;
    }
  }
  return {
    type: 'input',
    block_id: blockId,
    label: plain(fit(field.label, LIMITS.inputLabel)),
    optional: !field.required,
    element: { ...element, action_id: 'value' },
    ...(field.hint && { hint: plain(fit(field.hint, LIMITS.inputLabel)) }),
  } as KnownBlock;
}

/** A block id without its redraw version: `contacts~2` → `contacts`. */
export const fieldPath = (blockId: string) => blockId.replace(/~\d+$/, '');

/** One input's state as Slack sends it in `view.state.values`. */
export interface InputState {
  type: string;
  value?: string | null;
  selected_date?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: Array<{ value: string }>;
  selected_user?: string | null;
  selected_users?: string[];
}

/**
 * A modal's state → the form's values. Slack user ids of person fields are kept as
 * `slack:U123` for the adapter to turn into people.
 */
export function stateValues(state: Record<string, Record<string, InputState>>): FormValues {
  const values: FormValues = {};
  for (const [blockId, actions] of Object.entries(state)) {
    const input = Object.values(actions)[0];
    if (!input) continue;
    const value = inputValue(input);
    const [field, row, cell] = fieldPath(blockId).split('.');
    if (row === undefined || cell === undefined) {
      values[field!] = value;
      continue;
    }
    const rows = (values[field!] ??= []) as Array<Record<string, string>>;
    rows[Number(row)] = { ...rows[Number(row)], [cell]: typeof value === 'string' ? value : '' };
  }
  for (const [id, value] of Object.entries(values)) {
    if (Array.isArray(value) && value.some((v) => typeof v === 'object')) values[id] = (value as Array<Record<string, string> | undefined>).map((r) => r ?? {});
  }
  return values;
}

function inputValue(input: InputState): string | string[] | undefined {
  switch (input.type) {
    case 'datepicker':
      return input.selected_date ?? undefined;
    case 'static_select':
    case 'external_select':
      return input.selected_option?.value;
    case 'multi_static_select':
    case 'multi_external_select':
      return (input.selected_options ?? []).map((o) => o.value);
    case 'users_select':
      return input.selected_user ? `slack:${input.selected_user}` : undefined;
    case 'multi_users_select':
      return (input.selected_users ?? []).map((u) => `slack:${u}`);
    default:
      return input.value ?? undefined;
  }
}
