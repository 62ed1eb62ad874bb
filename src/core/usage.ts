import { isIsoDate } from '../domain/dates.ts';
import { LEVEL_VALUE, LEVELS, type Level } from '../domain/model.ts';
import { label, t, type Locale, type MessageKey } from '../i18n/index.ts';
import { grammarFor, replaceAt, serialize, type FlagSpec, type FlagType, type Grammar, type Parsed } from './args.ts';
import { UsageError } from './errors.ts';
import type { Action, Reply } from './reply.ts';
import { matchId, matchLevel } from './resolve.ts';

/** A command without a declared grammar: words, and no flags but `--help`. */
export const DEFAULT_GRAMMAR: Grammar = { subject: { name: 'words' } };

/** Whether a flag's value has the flag's type (text and lists take anything). */
export function checkValue(spec: FlagSpec, value: string): boolean {
  switch (spec.type) {
    case 'date':
      return isIsoDate(value);
    case 'number':
      return /^[−-]?\d+(\.\d+)?$/.test(value.trim());
    case 'level':
      return matchLevel(value) !== undefined;
    case 'choice':
      return matchId(spec.group ?? '', spec.values ?? [], value) !== undefined || (spec.values ?? []).some((v) => v.toLowerCase() === value.trim().toLowerCase());
    case 'boolean':
      return matchId('yesno', ['yes', 'no'], value) !== undefined;
    default:
      return true;
  }
}

/** A valid value as the user reads it: in English the id they type, in Chinese its label (both are accepted). */
function valueWord(locale: Locale, group: string | undefined, id: string): string {
  if (group === 'level') {
    const value = LEVEL_VALUE[id as Level];
    return locale === 'zh-CN' ? `${label(locale, 'level', id)}（${value}）` : `${id} (${value})`;
  }
  return locale === 'en' || !group ? id : label(locale, group, id);
}

function listJoin(locale: Locale, words: string[]): string {
  return words.join(locale === 'zh-CN' ? '、' : ', ');
}

/** What a flag or argument takes, in words: "a date (YYYY-MM-DD)", "one of: strategic, partner, …". */
export function expectsText(locale: Locale, type: FlagType | 'sub' | undefined, valid: readonly string[] | undefined, group: string | undefined): string {
  if (type === 'level') return t(locale, 'usage.expects.one_of', { values: listJoin(locale, LEVELS.map((l) => valueWord(locale, 'level', l))) });
  if (valid && valid.length > 0) return t(locale, 'usage.expects.one_of', { values: listJoin(locale, valid.map((v) => valueWord(locale, group, v))) });
  return t(locale, `usage.expects.${type ?? 'text'}` as MessageKey);
}

/** A flag as `help` lists it: `--date YYYY-MM-DD`, `--tier strategic|partner|…`, `--next "…" (repeatable)`. */
export function flagUsage(locale: Locale, name: string, spec: FlagSpec): string {
  if (spec.type === 'boolean') return `--${name}`;
  return `--${name} ${valuesShown(locale, spec)}${spec.repeat ? ` ${t(locale, 'help.repeatable')}` : ''}`;
}

function valuesShown(locale: Locale, spec: FlagSpec): string {
  if (spec.values) return spec.values.map((v) => valueWord(locale, spec.group, v)).join('|');
  if (spec.type === 'level') return LEVELS.map((l) => valueWord(locale, 'level', l).replace(/ \(.*\)|（.*）/, '')).join('|');
  return spec.placeholder ?? 'VALUE';
}

/** Every flag of a command (per sub-command when it has them), for `help <command>`. */
export function grammarLines(locale: Locale, name: string, grammar: Grammar): string[] {
  const lines: string[] = [];
  const subs = Object.keys(grammar.subs ?? {});
  const describe = (prefix: string, sub: string | undefined) => {
    const { subject, flags } = grammarFor(grammar, sub);
    const own = sub ? grammar.subs?.[sub]?.flags ?? {} : grammar.flags ?? {};
    const word = (name: string, required: boolean | undefined, spec?: FlagSpec) => {
      const text = `${t(locale, `arg.${name}` as MessageKey)}${spec && spec.type !== 'text' ? `${locale === 'zh-CN' ? '：' : ': '}${valuesShown(locale, spec)}` : ''}`;
      return required ? `<${text}>` : `[${text}]`;
    };
    const subjectText = subject ? [word(subject.name, subject.required), ...(subject.then ?? []).map((w) => word(w.name, w.required, w.spec))].join(' ') : '';
    const flagTexts = Object.entries(sub ? own : flags).filter(([f]) => f !== 'help' && f !== 'json').map(([f, spec]) => flagUsage(locale, f, spec));
    lines.push([prefix, subjectText, ...flagTexts.map((f) => `[${f}]`)].filter(Boolean).join(' '));
  };
  if (subs.length === 0 || grammar.subOptional) describe(name, undefined);
  for (const sub of subs) describe(`${name} ${sub}`, sub);
  const shared = subs.length > 0 && !grammar.subOptional ? Object.entries(grammar.flags ?? {}) : [];
  if (shared.length > 0) lines.push(t(locale, 'help.all_flags', { flags: shared.map(([f, spec]) => `[${flagUsage(locale, f, spec)}]`).join(' ') }));
  return lines;
}

/**
 * A usage error as a reply: what is wrong (naming the flag or argument and the valid
 * values in the user's language), a pointer to `help <command>`, and a button per
 * candidate that runs the command with exactly the faulty part replaced.
 */
export function usageReply(locale: Locale, error: UsageError, usage: string, options: { seeHelp?: boolean } = {}): Reply {
  const p = error.problem;
  const L = locale;
  const what = p.flag ? `--${p.flag}` : p.argument ? t(L, `arg.${p.argument}` as MessageKey) : '';
  const flags = 'flags' in p ? p.flags.map((f) => `--${f}`).join(p.code === 'usage.nothing_to_change' ? ', ' : t(L, 'usage.or')) : '';
  const vars = { command: error.command, flag: what, argument: what, value: p.value ?? '', query: p.value ?? '', flags, usage, expects: expectsText(L, p.expects, p.valid, p.group), values: listJoin(L, (p.valid ?? []).map((v) => valueWord(L, p.group, v))) };
  const lines = [t(L, `error.${p.code}` as MessageKey, vars)];
  const candidates = p.candidates ?? [];
  const shownCandidate = (c: string) => (p.target?.kind === 'flag' ? `--${c}` : p.target?.kind === 'command' || p.target?.kind === 'sub' ? c : valueWord(L, p.group, c));
  // When every valid value is a candidate, the message lists them already: the buttons are enough.
  const all = p.valid !== undefined && candidates.length === p.valid.length;
  if (candidates.length > 0 && !all) lines.push(t(L, 'error.usage.did_you_mean', { candidates: listJoin(L, candidates.map(shownCandidate)) }));
  // The unknown-command message already points to `help`.
  if (p.code !== 'command.unknown' && options.seeHelp !== false) lines.push(t(L, 'error.usage.see_help', { command: error.command }));
  const reply: Reply = {
    blocks: [{ type: 'text', text: lines.join(L === 'zh-CN' ? '' : ' '), tone: 'warning' }],
    visibility: 'private',
    status: 'error',
    data: { error: p.code, command: error.command, ...(p.flag && { flag: p.flag }), ...(p.argument && { argument: p.argument }), ...(p.value !== undefined && { value: p.value }), ...(p.valid && { valid: p.valid }), candidates },
  };
  const actions: Action[] = [];
  if (error.parsed && p.target) {
    for (const c of candidates) actions.push({ label: shownCandidate(c), command: serialize(replaceAt(error.parsed, p.target, c)) });
  }
  actions.push({ label: t(L, 'action.help'), command: p.code === 'command.unknown' ? 'help' : `help ${error.command}` });
  reply.blocks.push({ type: 'actions', actions });
  return reply;
}

/** Re-exported for commands that check a positional value themselves (a level, a tier). */
export type { Parsed };
