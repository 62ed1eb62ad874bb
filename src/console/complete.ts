import { grammarFor, GLOBAL_FLAGS, tokenize } from '../core/args.ts';
import type { CommandIndex } from '../core/dispatch.ts';
import { DEFAULT_GRAMMAR } from '../core/usage.ts';
import { LEVELS } from '../domain/model.ts';

/**
 * Tab completion for the console, from the commands' grammars: command names, then a
 * command's sub-commands, its flags (those of the sub-command typed), and the valid
 * values of a choice or level flag. Returns readline's `[matches, the word completed]`.
 *
 * @example completeLine(index, 'visit Acme --st') // [['--stage'], '--st']
 */
export function completeLine(commands: CommandIndex, line: string): [string[], string] {
  const words = tokenize(line);
  const partial = /\s$/.test(line) || line === '' ? '' : (words.pop() ?? '');
  const match = (options: readonly string[]) => [options.filter((o) => o.toLowerCase().startsWith(partial.toLowerCase())), partial] as [string[], string];
  const first = words[0]?.replace(/^\//, '').toLowerCase();
  if (first === undefined) return match(commands.list.map((c) => c.name));
  const command = commands.byName.get(first);
  if (!command) return [[], partial];
  const grammar = command.grammar ?? DEFAULT_GRAMMAR;
  const subs = Object.keys(grammar.subs ?? {});
  const rest = words.slice(1);
  const sub = rest.find((w) => subs.includes(w.toLowerCase()))?.toLowerCase();
  const { flags, subject } = grammarFor(grammar, sub);
  const previous = rest.at(-1);
  const spec = previous?.startsWith('--') ? flags[previous.slice(2)] : undefined;
  if (spec && spec.type !== 'boolean') {
    const values = spec.type === 'level' ? LEVELS : (spec.values ?? []);
    return match(values);
  }
  if (partial.startsWith('-')) return match(Object.keys(flags).filter((f) => !(f in GLOBAL_FLAGS) || f === 'help').map((f) => `--${f}`));
  if (rest.length === 0 && subs.length > 0) return match(subs);
  // A typed word after the subject (`rate Tom co` → coach): the values of the first one that has them.
  const then = subject?.then?.find((w) => w.spec.type === 'level' || w.spec.values);
  if (then && rest.some((w) => !w.startsWith('--')) && partial) return match(then.spec.type === 'level' ? LEVELS : then.spec.values!);
  return [[], partial];
}
