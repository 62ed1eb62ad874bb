import { editDistance } from '../domain/names.ts';

/** A command line split into words and `--flags` (shell-like quoting, Chinese quotes too). */
export interface Args {
  positional: string[];
  /** The last value of each flag; `true` for a flag given without a value. */
  flags: Record<string, string | true>;
  /** Every value of repeatable flags (`--next a --next b`). */
  all: Record<string, string[]>;
  /** The sub-command given (`account add …` → `add`), when the grammar declares sub-commands. */
  sub?: string;
}

/**
 * What a flag takes. `text` and `list` take any words; `date`, `number`, `level` and
 * `choice` are checked when the line is parsed; `boolean` takes no value (except as
 * `--flag=no`).
 */
export type FlagType = 'text' | 'list' | 'date' | 'number' | 'level' | 'choice' | 'boolean';

export interface FlagSpec {
  type: FlagType;
  /** `choice`: the valid ids; labelled through the i18n `group` (`tier.strategic`). */
  values?: readonly string[];
  group?: string;
  /** The flag may be given more than once (`--next a --next b`). */
  repeat?: boolean;
  /** What `help` shows as its value: `EMAIL`, `"A; B"`. */
  placeholder?: string;
}

/** The words after the command (and its sub-command): what they name, for help, errors and pickers. */
export interface SubjectSpec {
  /** An `arg.<name>` message: `account`, `contact`, `next_step`, … */
  name: string;
  required?: boolean;
  /** Flags that stand in for the subject (`brief --contact X`). */
  unlessFlags?: string[];
  /** A missing subject opens a form to pick one (chat and console; the CLI has no forms). */
  picker?: 'account' | 'contact';
  /**
   * Typed words after the subject (`rate <contact> [level]`), which the command tells
   * apart itself (a name has any number of words): shown by `help` with their values and
   * completed in the console; the command refuses a wrong one with the same usage error.
   */
  then?: Array<{ name: string; spec: FlagSpec; required?: boolean }>;
}

/**
 * One command's argument grammar, declared once beside the command: parsing, `help`,
 * usage errors, the CLI and the console's completion all come from it.
 *
 * @example
 * grammar: {
 *   subject: { name: 'contact', required: true, picker: 'contact' },
 *   flags: { account: arg.text('A'), date: arg.date(), dimension: arg.choice(DIMENSIONS, 'dimension') },
 *   subs: { edit: { subject: { name: 'id', required: true }, flags: { yes: arg.boolean() } } },
 * }
 */
export interface Grammar {
  subject?: SubjectSpec;
  flags?: Record<string, FlagSpec>;
  /** Sub-commands, each with its own subject and flags (the command's flags apply to all). */
  subs?: Record<string, Grammar>;
  /** With sub-commands: the first word may also be something else (the subject), as `visit Acme` beside `visit help`. */
  subOptional?: boolean;
}

/** Builders for flag declarations: one short call per flag. */
export const arg = {
  text: (placeholder = '"…"', more: Partial<FlagSpec> = {}): FlagSpec => ({ type: 'text', placeholder, ...more }),
  list: (placeholder = '"A; B"', more: Partial<FlagSpec> = {}): FlagSpec => ({ type: 'list', placeholder, ...more }),
  date: (more: Partial<FlagSpec> = {}): FlagSpec => ({ type: 'date', placeholder: 'YYYY-MM-DD', ...more }),
  number: (placeholder = 'N', more: Partial<FlagSpec> = {}): FlagSpec => ({ type: 'number', placeholder, ...more }),
  level: (more: Partial<FlagSpec> = {}): FlagSpec => ({ type: 'level', placeholder: 'LEVEL', group: 'level', ...more }),
  choice: (values: readonly (string | number)[], group?: string, more: Partial<FlagSpec> = {}): FlagSpec => ({ type: 'choice', values: values.map(String), ...(group && { group }), ...more }),
  boolean: (): FlagSpec => ({ type: 'boolean' }),
};

/** Flags every command takes: `--help` shows the command's help; `--json` is the CLI's (chat replies carry the data anyway). */
export const GLOBAL_FLAGS: Record<string, FlagSpec> = { help: arg.boolean(), json: arg.boolean() };
const UNLISTED = ['help', 'json'];

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '「': '」', '『': '』' };
/** Flags that never take a value, so a word after them stays positional (the grammar-free parse). */
const BOOLEAN_FLAGS = new Set(['json', 'help', 'yes', 'rising-star']);

export function tokenize(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let started = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch in QUOTES) {
      quote = QUOTES[ch]!;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) words.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (started) words.push(current);
  return words;
}

const FLAG = /^--([a-z][\w-]*)(?:=(.*))?$/i;

/** A grammar-free parse (the CLI's own flags, before it knows the command). */
export function parseArgs(words: readonly string[]): Args {
  const args: Args = { positional: [], flags: {}, all: {} };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const flag = FLAG.exec(word);
    if (!flag) {
      args.positional.push(word);
      continue;
    }
    const name = flag[1]!.toLowerCase();
    let value: string | true = true;
    if (flag[2] !== undefined) value = flag[2];
    else if (!BOOLEAN_FLAGS.has(name) && i + 1 < words.length && !words[i + 1]!.startsWith('--')) value = words[++i]!;
    args.flags[name] = value;
    if (typeof value === 'string') (args.all[name] ??= []).push(value);
  }
  return args;
}

/**
 * A command line as parsed against its grammar, in the order typed: what suggestions
 * are rebuilt from (a candidate replaces one part; {@link serialize} quotes the rest).
 */
export interface Parsed {
  command: string;
  sub?: string;
  positional: string[];
  flags: Array<{ name: string; value: string | true }>;
}

/** Where a usage problem is, so a suggestion can replace exactly that part. */
export type Target =
  | { kind: 'command' }
  | { kind: 'sub' }
  | { kind: 'flag'; index: number }
  | { kind: 'value'; index: number }
  | { kind: 'words'; from: number; to: number };

/** A problem found while parsing: a code (`usage.*`) with values, translated at the edge. */
export interface Problem {
  code: 'command.unknown' | 'usage.unknown_flag' | 'usage.missing_value' | 'usage.bad_value' | 'usage.unknown_sub' | 'usage.missing_sub' | 'usage.missing_subject' | 'usage.unexpected';
  flag?: string;
  /** A positional argument (an `arg.<name>` message) the problem is in, when it is not a flag. */
  argument?: string;
  value?: string;
  /** What was expected: a flag's type, or `sub` for sub-commands. */
  expects?: FlagType | 'sub';
  /** Valid values (ids), labelled through `group` when rendered. */
  valid?: string[];
  group?: string;
  /** Replacements for the target, best first (flag names without `--`, values, words). */
  candidates?: string[];
  target?: Target;
}

/** The grammar that applies after the sub-command (its own flags plus the command's). */
export function grammarFor(grammar: Grammar, sub: string | undefined): { subject?: SubjectSpec; flags: Record<string, FlagSpec> } {
  const own = sub ? grammar.subs?.[sub] : undefined;
  const subject = own ? own.subject : grammar.subject;
  return { ...(subject && { subject }), flags: { ...GLOBAL_FLAGS, ...grammar.flags, ...own?.flags } };
}

/** `--solution_manager` is `--solution-manager`. */
function flagKey(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/**
 * Parses a command's words against its grammar. Every word is kept in `parsed` (an
 * unknown flag too, with the value it seems to have), so a suggestion can be rebuilt
 * from it; the first problem, if any, is returned beside it.
 */
export function parseCommand(command: string, grammar: Grammar, words: readonly string[], checkValue: (spec: FlagSpec, value: string) => boolean): { parsed: Parsed; args: Args; problem?: Problem } {
  const parsed: Parsed = { command, positional: [], flags: [] };
  let problem: Problem | undefined;
  const fail = (p: Problem) => {
    problem ??= p;
  };
  let rest = [...words];
  const subs = Object.keys(grammar.subs ?? {});
  if (subs.length > 0) {
    const first = rest.find((w) => !FLAG.test(w));
    const firstIndex = first === undefined ? -1 : rest.indexOf(first);
    const word = first?.toLowerCase();
    if (word !== undefined && subs.includes(word)) {
      parsed.sub = word;
      rest.splice(firstIndex, 1);
    } else if (!grammar.subOptional || (word !== undefined && !grammar.subject)) {
      // Optional sub-commands with no subject beside them (`remind [on|off]`): any other word is a wrong one.
      if (word === undefined) fail({ code: 'usage.missing_sub', expects: 'sub', valid: subs, target: { kind: 'sub' } });
      else {
        fail({ code: 'usage.unknown_sub', value: first, expects: 'sub', valid: subs, candidates: closest(first!, subs), target: { kind: 'sub' } });
        parsed.sub = first;
        rest.splice(firstIndex, 1);
      }
    }
  }
  const { subject, flags: specs } = grammarFor(grammar, parsed.sub && subs.includes(parsed.sub) ? parsed.sub : undefined);
  const names = Object.keys(specs);
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    const match = FLAG.exec(word);
    if (!match) {
      parsed.positional.push(word);
      continue;
    }
    const name = flagKey(match[1]!);
    const spec = specs[name];
    const index = parsed.flags.length;
    const next = rest[i + 1];
    const nextIsValue = next !== undefined && !FLAG.test(next);
    if (!spec) {
      const candidates = closest(name, names.filter((n) => !UNLISTED.includes(n)));
      // Its value, when it seems to have one, stays with it: `--whith "Tom"` → `--with "Tom"`.
      const takesValue = match[2] !== undefined || (nextIsValue && specs[candidates[0] ?? '']?.type !== 'boolean');
      const value = match[2] ?? (takesValue ? rest[++i]! : true);
      parsed.flags.push({ name, value });
      fail({ code: 'usage.unknown_flag', flag: name, candidates, target: { kind: 'flag', index } });
      continue;
    }
    if (spec.type === 'boolean') {
      parsed.flags.push({ name, value: match[2] ?? true });
      continue;
    }
    const value = match[2] ?? (nextIsValue ? rest[++i]! : undefined);
    if (value === undefined || value.trim() === '') {
      parsed.flags.push({ name, value: '' });
      fail({ code: 'usage.missing_value', flag: name, expects: spec.type, ...valid(spec), target: { kind: 'value', index } });
      continue;
    }
    parsed.flags.push({ name, value });
    if (!checkValue(spec, value)) {
      fail({ code: 'usage.bad_value', flag: name, value, expects: spec.type, ...valid(spec), candidates: spec.values ? closest(value, spec.values) : [], target: { kind: 'value', index } });
    }
  }
  if (!subject && parsed.positional.length > 0 && !(subs.length > 0 && !parsed.sub && grammar.subOptional)) {
    fail({ code: 'usage.unexpected', value: parsed.positional[0], target: { kind: 'words', from: 0, to: parsed.positional.length } });
  }
  const standIn = ['help', ...(subject?.unlessFlags ?? [])];
  if (subject?.required && parsed.positional.length === 0 && !parsed.flags.some((f) => standIn.includes(f.name))) {
    fail({ code: 'usage.missing_subject', argument: subject.name });
  }
  return { parsed, args: argsOf(parsed), ...(problem && { problem }) };
}

/** The `Args` a command reads, from the parsed line. */
export function argsOf(parsed: Parsed): Args {
  const args: Args = { positional: parsed.sub ? [parsed.sub, ...parsed.positional] : [...parsed.positional], flags: {}, all: {}, ...(parsed.sub && { sub: parsed.sub }) };
  for (const { name, value } of parsed.flags) {
    args.flags[name] = value;
    if (typeof value === 'string') (args.all[name] ??= []).push(value);
  }
  return args;
}

function valid(spec: FlagSpec): Pick<Problem, 'valid' | 'group'> {
  return { ...(spec.values && { valid: [...spec.values] }), ...(spec.group && { group: spec.group }) };
}

/** The closest words to a typed one, by edit distance (at most `max`, and only plausible ones). */
export function closest(typed: string, words: readonly string[], max = 3): string[] {
  const t = typed.toLowerCase();
  const limit = Math.max(2, Math.ceil(t.length / 2));
  return words
    .map((w) => ({ w, d: w.toLowerCase().startsWith(t) || t.startsWith(w.toLowerCase()) ? 0 : editDistance(t, w.toLowerCase()) }))
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.w.localeCompare(b.w))
    .slice(0, max)
    .map((s) => s.w);
}

/** The parsed line with one part replaced by a candidate (a new object; `parsed` is untouched). */
export function replaceAt(parsed: Parsed, target: Target, candidate: string): Parsed {
  const next: Parsed = { ...parsed, positional: [...parsed.positional], flags: parsed.flags.map((f) => ({ ...f })) };
  if (target.kind === 'command') next.command = candidate;
  else if (target.kind === 'sub') next.sub = candidate;
  else if (target.kind === 'flag') next.flags[target.index]!.name = candidate;
  else if (target.kind === 'value') next.flags[target.index]!.value = candidate;
  else next.positional.splice(target.from, target.to - target.from, candidate);
  return next;
}

/** A parsed line as a command line again, every word quoted as it needs (what buttons run). */
export function serialize(parsed: Parsed): string {
  const words = [parsed.command, ...(parsed.sub ? [parsed.sub] : []), ...parsed.positional.map(quote)];
  for (const { name, value } of parsed.flags) words.push(value === true ? `--${name}` : `--${name} ${quote(value)}`);
  return words.join(' ');
}

/** Quotes a word for a command line when it needs it; {@link tokenize} reads it back as the same word. */
export function quote(word: string): string {
  if (word !== '' && !/[\s"'“”‘’「」『』]/.test(word) && !word.startsWith('--')) return word;
  if (!word.includes('"')) return `"${word}"`;
  if (!word.includes("'")) return `'${word}'`;
  return `「${word.replace(/[「」]/g, '')}」`;
}

/** A string flag's value, or undefined. */
export function flag(args: Args, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}
