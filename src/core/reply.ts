/**
 * The channel-neutral reply every command returns. Adapters render it: the console and
 * CLI as text, Slack as Block Kit, Teams as Adaptive Cards. No platform type here.
 *
 * @example
 * const reply: Reply = {
 *   title: 'Acme · Strategic',
 *   blocks: [{ type: 'fields', fields: [{ label: 'Value score', value: '82' }] }],
 *   visibility: 'private',
 * };
 */
export interface Reply {
  title?: string;
  blocks: Block[];
  /** A form to fill in (the console asks its fields; Slack opens a modal; Teams sends a card). */
  form?: Form;
  /** The `--json` payload, with the field names of interfaces.md. */
  data?: unknown;
  /** Lookups answer only the asker until they share; confirmations may be shared. */
  visibility: 'private' | 'shared';
  /** Set by dispatch on every reply; `error` replies make the CLI exit 1. */
  status?: 'ok' | 'error';
  /** A command line that shows this reply again, safely (reads only): what "Share in channel" posts. */
  share?: string;
  /** True when this is the stored reply of a submission made before (a retry or a double click). */
  replayed?: boolean;
  /** Our people named in texts as `@{id}` behind a control mark (see core/mentions.ts): each channel mentions them its own way. */
  mentions?: Record<number, { name: string; slackId: string | null; teamsId: string | null }>;
  /**
   * A picture that goes with the reply (the power map): Slack uploads it, Teams shows it inline,
   * the console writes it to a private file. Rendered lazily: the adapter calls `png` after the
   * text is sent (acked), so a command stays as fast without it (issue 18 part 1).
   */
  image?: ReplyImage;
}

export interface ReplyImage {
  fileName: string;
  title: string;
  /** Renders the PNG; `scale` < 1 draws it smaller (Teams' inline size). */
  png: (options?: { scale?: number }) => Promise<Buffer>;
  /** The command that draws it again (`map #12`): offered as a button when it could not be drawn now. */
  again: string;
}

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'text'; text: string; tone?: 'muted' | 'warning' | 'success' }
  | { type: 'fields'; fields: Array<{ label: string; value: string }> }
  /** `optional`: indexes of columns a narrow screen may leave out, the least important first (render-text.ts). */
  | { type: 'table'; columns: string[]; rows: string[][]; optional?: number[] }
  | { type: 'list'; items: string[] }
  | { type: 'actions'; actions: Action[] };

/** A button: pressing it runs `command` as if the user had typed it. */
export interface Action {
  label: string;
  command: string;
  style?: 'primary' | 'danger';
}

/** A form definition, defined once in commands/ and rendered by every channel. */
export interface Form {
  /** `command` or `command.form`: where the submission goes. */
  id: string;
  title: string;
  submitLabel: string;
  fields: FormField[];
  /** Values to show (prefilled, or kept after a failed submit). */
  values: FormValues;
  /** Per-field messages from the last submit, translated. */
  errors: Record<string, string>;
  /** Travels with the form and comes back on submit (Slack `private_metadata`). */
  context: Record<string, string>;
}

export type FormValue = string | string[] | Array<Record<string, string>>;
export type FormValues = Record<string, FormValue | undefined>;

export interface Option {
  value: string;
  label: string;
}

interface FieldBase {
  id: string;
  label: string;
  required: boolean;
  hint?: string;
}

/** A field that takes one value (or one list of values). */
export type InputField =
  | (FieldBase & { kind: 'text' | 'longtext'; maxLength?: number })
  | (FieldBase & { kind: 'number'; min?: number; max?: number })
  | (FieldBase & { kind: 'date' })
  | (FieldBase & { kind: 'choice' | 'multichoice'; options: Option[] })
  /** Options looked up as the user types: accounts, contacts of the chosen account, our people. */
  | (FieldBase & { kind: 'lookup'; source: 'account' | 'contact' | 'person'; multiple: boolean; dependsOn?: string });

export type FormField =
  | InputField
  /** Rows added one by one (next steps), each with its own fields. */
  | (FieldBase & { kind: 'rows'; fields: InputField[]; addLabel: string; maxRows: number });

/** A plain text reply. */
export function textReply(text: string, visibility: Reply['visibility'] = 'private', status: Reply['status'] = 'ok'): Reply {
  return { blocks: [{ type: 'text', text }], visibility, status };
}
