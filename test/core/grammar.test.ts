import { describe, expect, it } from 'vitest';
import { arg, parseCommand, quote, replaceAt, serialize, tokenize, type Grammar } from '../../src/core/args.ts';
import { checkValue, grammarLines } from '../../src/core/usage.ts';
import { completeLine } from '../../src/console/complete.ts';
import { commandIndex } from '../helpers/context.ts';

const visitLike: Grammar = {
  subject: { name: 'account' },
  subs: { help: {}, edit: { subject: { name: 'id', required: true }, flags: { yes: arg.boolean() } } },
  subOptional: true,
  flags: { with: arg.list(), date: arg.date(), type: arg.choice(['visit', 'meal'], 'activity'), next: arg.text('"…"', { repeat: true }), level: arg.level(), count: arg.number() },
};
const parse = (line: string, grammar: Grammar = visitLike) => parseCommand('visit', grammar, tokenize(line), checkValue);

describe('the argument grammar (core/args.ts)', () => {
  it('parses subjects, typed flags, repeated flags and sub-commands', () => {
    const { args, problem } = parse('Acme Telecom --with "Tom Baker; Li" --date 2026-11-01 --type 宴请 --next a --next=b --level 2 --count 3');
    expect(problem).toBeUndefined();
    expect(args).toMatchObject({ positional: ['Acme', 'Telecom'], flags: { with: 'Tom Baker; Li', date: '2026-11-01', type: '宴请', next: 'b', level: '2', count: '3' }, all: { next: ['a', 'b'] } });
    expect(parse('edit #12 --yes').args).toMatchObject({ sub: 'edit', positional: ['edit', '#12'], flags: { yes: true } });
  });

  it.each([
    ['Acme --whith Tom', { code: 'usage.unknown_flag', flag: 'whith', candidates: ['with'] }],
    ['Acme --with', { code: 'usage.missing_value', flag: 'with' }],
    ['Acme --with "" --date 2026-11-01', { code: 'usage.missing_value', flag: 'with' }],
    ['Acme --date 2026-02-30', { code: 'usage.bad_value', flag: 'date', value: '2026-02-30', expects: 'date' }],
    ['Acme --type lunch', { code: 'usage.bad_value', flag: 'type', valid: ['visit', 'meal'] }],
    ['Acme --level 7', { code: 'usage.bad_value', flag: 'level', expects: 'level' }],
    ['Acme --count many', { code: 'usage.bad_value', flag: 'count', expects: 'number' }],
    ['edit', { code: 'usage.missing_subject', argument: 'id' }],
    // A sub-command takes its own flags and the command's.
    ['edit #3 --yess', { code: 'usage.unknown_flag', flag: 'yess', candidates: ['yes'] }],
  ])('%s → %o', (line, expected) => {
    expect(parse(line).problem).toMatchObject(expected);
  });

  it('refuses sub-commands it does not have, and words a command does not take', () => {
    const account: Grammar = { subs: { add: {}, edit: {}, show: {} } };
    expect(parseCommand('account', account, ['ad', 'Acme'], checkValue).problem).toMatchObject({ code: 'usage.unknown_sub', candidates: ['add'] });
    expect(parseCommand('account', account, [], checkValue).problem).toMatchObject({ code: 'usage.missing_sub', valid: ['add', 'edit', 'show'] });
    expect(parseCommand('home', {}, ['now'], checkValue).problem).toMatchObject({ code: 'usage.unexpected', value: 'now' });
  });

  it('rebuilds a suggestion by replacing exactly the faulty part, quoting what needs it', () => {
    const { parsed, problem } = parse('"Acme Telecom" --whith "Tom \'T\' Baker" --date 2026-11-01');
    const fixed = serialize(replaceAt(parsed, problem!.target!, problem!.candidates![0]!));
    expect(fixed).toBe('visit "Acme Telecom" --with "Tom \'T\' Baker" --date 2026-11-01');
    // What a button runs reads back as the same words.
    expect(tokenize(fixed)).toEqual(['visit', 'Acme Telecom', '--with', "Tom 'T' Baker", '--date', '2026-11-01']);
    for (const word of ['plain', 'two words', 'say "hi"', `it's "x"`, '']) expect(tokenize(quote(word))).toEqual([word]);
  });

  it('lists every form of a command with its flags and their values, for help', () => {
    const lines = grammarLines('en', 'visit', visitLike);
    expect(lines[0]).toContain('[--type visit|meal]');
    expect(lines[0]).toContain('[--next "…" (repeatable)]');
    expect(lines[0]).toContain('[--level opposed|neutral|supportive|exclusive|coach]');
    expect(lines).toContain('visit edit <#id> [--yes]');
    expect(grammarLines('zh-CN', 'visit', visitLike)[0]).toContain('--type 正式拜访|宴请');
    // Typed words after the subject are listed with their values too.
    expect(grammarLines('en', 'rate', commandIndex.byName.get('rate')!.grammar!)[0]).toMatch(/^rate <contact> \[level: opposed\|neutral\|supportive\|exclusive\|coach\] \[--account A\]/);
    expect(grammarLines('zh-CN', 'tier-set', commandIndex.byName.get('tier-set')!.grammar!)[0]).toBe('tier-set <客户> <客户分级：战略客户|伙伴客户|优先客户|一般客户> <原因>');
  });

  it('completes commands, sub-commands, flags and their values in the console', () => {
    expect(completeLine(commandIndex, 'ra')).toEqual([['rate'], 'ra']);
    expect(completeLine(commandIndex, 'account ')).toEqual([['add', 'edit', 'show'], '']);
    expect(completeLine(commandIndex, 'account edit Acme --reg')).toEqual([['--region'], '--reg']);
    expect(completeLine(commandIndex, 'visit Acme --stage ')).toEqual([['lead', 'opportunity', 'contract', 'collection'], '']);
    expect(completeLine(commandIndex, 'rate Tom --dimension inf')).toEqual([['information'], 'inf']);
    expect(completeLine(commandIndex, 'account show Acme --ti')).toEqual([[], '--ti']);
    expect(completeLine(commandIndex, 'rate Tom co')).toEqual([['coach'], 'co']);
    expect(completeLine(commandIndex, 'tier-set Acme pa')).toEqual([['partner'], 'pa']);
  });

  it('every command declares its grammar', () => {
    expect(commandIndex.list.filter((c) => !c.grammar).map((c) => c.name)).toEqual([]);
  });
});
