/** A command line split into words and `--flags` (shell-like quoting, Chinese quotes too). */
export interface Args {
  positional: string[];
  /** The last value of each flag; `true` for a flag given without a value. */
  flags: Record<string, string | true>;
  /** Every value of repeatable flags (`--next a --next b`). */
  all: Record<string, string[]>;
}

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '「': '」', '『': '』' };
/** Flags that never take a value, so a word after them stays positional. */
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

export function parseArgs(words: readonly string[]): Args {
  const args: Args = { positional: [], flags: {}, all: {} };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const flag = /^--([a-z][\w-]*)(?:=(.*))?$/i.exec(word);
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

/** Quotes a word for a command line when it needs it (for buttons that re-run a command). */
export function quote(word: string): string {
  return /[\s"']/.test(word) || word === '' ? `"${word.replace(/"/g, '')}"` : word;
}

/** A string flag's value, or undefined. */
export function flag(args: Args, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}
