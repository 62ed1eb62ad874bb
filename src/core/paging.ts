import { t, type Locale } from '../i18n/index.ts';
import { arg, flag, type Args, type FlagSpec } from './args.ts';
import { InputError, invalidField } from './errors.ts';
import type { Block } from './reply.ts';

/** Rows a long list shows at once when `--limit` is not given: a terminal screen. */
export const DEFAULT_LIMIT = 20;

/** The flags of a paged list, for a command's grammar. */
export const PAGING_FLAGS: Record<'limit' | 'page', FlagSpec> = { limit: arg.number(), page: arg.number() };

export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
  /** "Page 1 of 5, --page 2 for more.", or nothing when everything fits on one page. */
  footer: Block[];
}

/**
 * One page of a long list, chosen by `--limit N` (rows a page, default 20) and
 * `--page N` (from 1). `fromEnd`: page 1 holds the last rows (the newest of a log kept
 * oldest first), each page keeping the list's order. A limit or page that is not a
 * whole number of 1 or more, or a page past the last, is refused naming the flag.
 *
 * @example
 * const { items, footer } = pageOf(ctx.locale, args, accounts);
 * reply.blocks.push(table(items), ...footer);
 */
export function pageOf<T>(locale: Locale, args: Args, all: readonly T[], options: { fromEnd?: boolean } = {}): Page<T> {
  const limit = wholeNumber(locale, args, 'limit') ?? DEFAULT_LIMIT;
  const page = wholeNumber(locale, args, 'page') ?? 1;
  const pages = Math.max(1, Math.ceil(all.length / limit));
  if (page > pages) throw new InputError({ page: invalidField('page', { code: 'page.beyond', values: { pages } }, '--page') });
  const start = options.fromEnd ? Math.max(0, all.length - page * limit) : (page - 1) * limit;
  const end = options.fromEnd ? all.length - (page - 1) * limit : page * limit;
  const footer: Block[] = pages === 1 ? [] : [{ type: 'text', tone: 'muted', text: page < pages ? t(locale, 'page.more', { page, pages, next: page + 1 }) : t(locale, 'page.last', { page, pages }) }];
  return { items: all.slice(start, end), page, pages, footer };
}

function wholeNumber(locale: Locale, args: Args, name: 'limit' | 'page'): number | undefined {
  if (args.flags[name] === undefined) return undefined;
  const text = flag(args, name);
  if (text !== undefined && /^\d+$/.test(text.trim()) && Number(text) >= 1) return Number(text);
  throw new InputError({ [name]: invalidField(name, { code: 'validation.whole_number' }, `--${name}`) });
}
