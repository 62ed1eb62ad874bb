import { t } from '../i18n/index.ts';
import type { Args } from './args.ts';
import type { Context } from './command.ts';
import { AppError } from './errors.ts';
import type { Reply } from './reply.ts';

/**
 * Irreversible actions ask first (issue 15): `forget` and every delete. In chat and the
 * console the answer says what would happen, with a button that runs the same command
 * with `--yes`; the CLI, which has no one to ask, refuses without `--yes` (exit 2, a
 * usage error) and says what would happen. Returns undefined when confirmed.
 *
 * @example
 * const ask = confirmFirst(ctx, args, t(L, 'visit.delete_what', { … }), `visit delete #${id}`);
 * if (ask) return ask;
 */
export function confirmFirst(ctx: Context, args: Args, what: string, command: string): Reply | undefined {
  if (args.flags.yes === true) return undefined;
  const confirmed = `${command} --yes`;
  if (ctx.via === 'cli') throw new AppError('confirm.required', { what, command: confirmed });
  return {
    blocks: [
      { type: 'text', text: t(ctx.locale, 'confirm.ask', { what }), tone: 'warning' },
      { type: 'actions', actions: [{ label: t(ctx.locale, 'confirm.yes'), command: confirmed, style: 'danger' }] },
    ],
    visibility: 'private',
    data: { confirm: { what, command: confirmed } },
  };
}

/**
 * `edit #12` / `delete 12` after a command's name: a correction of its record with that
 * id (issue 15: `visit edit #12`, `rate delete #7`, `step edit #3`).
 */
export function recordRef(words: readonly string[], usage: string): { verb: 'edit' | 'delete'; id: number; rest: string[] } | undefined {
  const [verb, ref, ...rest] = words;
  if (verb !== 'edit' && verb !== 'delete') return undefined;
  // `visit edit` or `rate delete Tom`: the id is missing, so say how (a name with these words can be quoted).
  if (ref === undefined || !/^#?\d+$/.test(ref)) throw new AppError('command.usage', { usage });
  return { verb, id: Number(ref.replace('#', '')), rest };
}
