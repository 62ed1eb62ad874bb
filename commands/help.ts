import { defineCommand } from '../src/core/command.ts';
import { t } from '../src/i18n/index.ts';

/** `help [command]`: every command, with examples (interfaces.md `/mcr help`). */
export const help = defineCommand({
  name: 'help',
  usage: 'help [command]',
  summary: 'cmd.help.summary',
  examples: ['help', 'help visit'],
  run: async (ctx, args) => {
    const L = ctx.locale;
    const wanted = args.positional[0]?.replace(/^\//, '').toLowerCase();
    const one = wanted ? ctx.commands.byName.get(wanted) : undefined;
    const shown = one ? [one] : ctx.commands.list.filter((c) => !c.admin || ctx.isAdmin);
    return {
      title: one ? one.name : t(L, 'help.title'),
      blocks: [
        ...(one ? [] : [{ type: 'text' as const, text: t(L, 'help.intro') }]),
        ...shown.flatMap((c) => [
          { type: 'text' as const, text: `${c.usage}\n${t(L, c.summary)}` },
          ...(one ? [{ type: 'list' as const, items: c.examples }] : [{ type: 'text' as const, text: t(L, 'help.example', { example: c.examples[0] ?? c.name }), tone: 'muted' as const }]),
        ]),
      ],
      visibility: 'private',
      data: { commands: shown.map((c) => ({ name: c.name, usage: c.usage, summary: t(L, c.summary), examples: c.examples })) },
    };
  },
});
