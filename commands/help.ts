import { defineCommand } from '../src/core/command.ts';
import { grammarLines } from '../src/core/usage.ts';
import { t } from '../src/i18n/index.ts';

/** `help [command]`: every command, with examples (interfaces.md `/mcr help`). */
export const help = defineCommand({
  name: 'help',
  usage: 'help [command]',
  grammar: { subject: { name: 'command' } },
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
          // One command: every form of it with its flags and their values, from its grammar.
          ...(one && c.grammar ? [{ type: 'list' as const, items: grammarLines(L, c.name, c.grammar) }] : []),
          ...(one ? [{ type: 'list' as const, items: c.examples }] : [{ type: 'text' as const, text: t(L, 'help.example', { example: c.examples[0] ?? c.name }), tone: 'muted' as const }]),
        ]),
      ],
      visibility: 'private',
      data: { commands: shown.map((c) => ({ name: c.name, usage: c.usage, summary: t(L, c.summary), examples: c.examples, ...(one && c.grammar && { forms: grammarLines(L, c.name, c.grammar) }) })) },
    };
  },
});
