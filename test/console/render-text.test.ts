import fc from 'fast-check';
import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.ts';
import { columnsOf, displayWidth, renderText, wrap } from '../../src/console/render-text.ts';
import { actor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/** The widest line of a text, in terminal columns. */
const widest = (text: string) => Math.max(...text.split('\n').map((line) => stringWidth(line)));

const CJK = '华信银行股份有限公司北京分行数字化转型办公室';
const EMOJI = '🚀 Rocket 👩‍💻 Labs 🇨🇳';

describe('display width', () => {
  it('counts Chinese characters, full-width punctuation and emoji as two columns, combining marks as none', () => {
    expect(displayWidth('Acme')).toBe(4);
    expect(displayWidth('华信银行')).toBe(8);
    expect(displayWidth('，。：')).toBe(6);
    expect(displayWidth('🚀')).toBe(2);
    // One person at a laptop: three code points joined, two columns.
    expect(displayWidth('👩‍💻')).toBe(2);
    expect(displayWidth('🇨🇳')).toBe(2);
    expect(displayWidth('é')).toBe(1);
  });

  it('takes a terminal\'s own width, and 80 columns for a pipe or a file', () => {
    expect(columnsOf({ isTTY: true, columns: 132 })).toBe(132);
    expect(columnsOf({ isTTY: true, columns: 100 })).toBe(100);
    expect(columnsOf({ isTTY: false, columns: 132 })).toBe(80);
    expect(columnsOf({})).toBe(80);
  });
});

describe('wrap', () => {
  it('breaks at spaces, between Chinese characters, and never inside an emoji', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('华信银行股份有限公司', 8)).toEqual(['华信银行', '股份有限', '公司']);
    expect(wrap('👩‍💻👩‍💻👩‍💻', 4)).toEqual(['👩‍💻👩‍💻', '👩‍💻']);
    expect(wrap('supercalifragilistic', 8)).toEqual(['supercal', 'ifragili', 'stic']);
    // A full-width comma never begins a line: the character before it comes down with it.
    expect(wrap('客户经理，负责人', 8)).toEqual(['客户经', '理，负责', '人']);
  });

  it('any text, any width: no line wider than asked, and nothing lost but the spaces where it broke', () => {
    const pieces = fc.constantFrom('a', 'Acme', ' ', '华', '信银行', '，', '🚀', '👩‍💻', '🇨🇳', 'é', 'Telecommunications', '\n');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), fc.integer({ min: 2, max: 30 }), (parts, width) => {
        const text = parts.join('');
        const lines = wrap(text, width);
        for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(width);
        expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      }),
    );
  });
});

describe('tables and text fit the terminal', () => {
  const wide: Reply = {
    title: `${CJK} · ${EMOJI}`,
    visibility: 'private',
    blocks: [
      {
        type: 'table',
        columns: ['Account', 'Tier', 'Industry', 'Region', 'Account manager', 'Notes'],
        rows: [
          [CJK, '战略客户', 'Telecommunications and media', '华北区 North China', '王小明 (wang.xiaoming@example.com)', 'Renewal talks 🚀 since Q3; the CFO 👩‍💻 wants a second quote before the board meets.'],
          [EMOJI, 'Partner', '银行', 'APAC', 'Alice Chen', ''],
        ],
        optional: [5, 3],
      },
      { type: 'fields', fields: [{ label: '决策链角色', value: `决策者：${CJK}，${CJK}。${EMOJI} `.repeat(3) }] },
      { type: 'list', items: [`${CJK}：距上次接触 200 天，需要尽快安排高层互访和业务交流。🚀`.repeat(2)] },
      { type: 'text', tone: 'warning', text: `No contact matches "${CJK}${CJK}". Try one of ${EMOJI}, ${EMOJI}, ${EMOJI}.` },
      { type: 'actions', actions: [{ label: `Brief ${CJK}`, command: `brief "${CJK}"` }] },
    ],
  };

  for (const width of [80, 60, 40]) {
    it(`every line fits ${width} columns, with Chinese and emoji names`, () => {
      const text = renderText(wide, [], { width });
      expect(widest(text)).toBeLessThanOrEqual(width);
      // Names wrap; none is cut short.
      expect(text.replace(/\s/g, '')).toContain(CJK);
    });
  }

  it('leaves out the columns declared least important first, and says which', () => {
    const text = renderText(wide, [], { width: 80 });
    const header = text.split('\n').find((line) => line.includes('Account') && line.includes('Tier'))!;
    // Notes, then Region, as declared; the rest narrowed and wrapped.
    expect(header).not.toMatch(/Notes|Region/);
    expect(header).toContain('Account manager');
    expect(text).toContain('Left out to fit 80 columns: Region, Notes (--json has every field).');
    expect(renderText(wide, [], { width: 96 })).toContain('Left out to fit 96 columns: Notes (--json');
    // Narrower still: undeclared columns go too, from the last one back, never the first.
    const zh = renderText(wide, [], { width: 30, locale: 'zh-CN' });
    expect(zh.replace(/\s/g, '')).toContain('为适应30列宽度，省略了：Region、Account manager、Notes'.replace(/\s/g, ''));
    expect(zh).toMatch(/^ {2}Account +Tier +Industry$/m);
  });

  it('a table that fits is printed as it is: no column narrowed, none left out', () => {
    const small: Reply = { visibility: 'private', blocks: [{ type: 'table', columns: ['Account', 'Tier'], rows: [['华信银行', '伙伴客户'], ['Acme 🚀', 'Strategic']] }] };
    expect(renderText(small)).toBe(['  Account   Tier', '  ────────  ─────────', '  华信银行  伙伴客户', '  Acme 🚀   Strategic'].join('\n'));
  });

  it('a wide terminal gets the whole table on one line a row', () => {
    const text = renderText(wide, [], { width: 250 });
    expect(text).toContain('Renewal talks 🚀 since Q3; the CFO 👩‍💻 wants a second quote before the board meets.');
    expect(text).not.toContain('Left out');
  });
});

describe('real replies at 80 columns', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('brief, tier, audit and help fit with Chinese and emoji names, in both languages', async () => {
    const admin = await actor(t.db);
    const account = `${CJK}🚀`;
    expect((await admin.run(`account add "${account}" --tier strategic --industry "电信运营商 Telecommunications 📡"`)).status).toBe('ok');
    for (const name of ['欧阳娜娜', '👩‍💻 Zhang Wei-Ming the Chief Information Officer', '司马相如']) {
      const added = await admin.run(`contact add "${name}" --account "${account}" --title "首席信息官兼数字化转型委员会主任 🚀" --position A --role decision_maker`);
      expect(added.status, JSON.stringify(added.data)).toBe('ok');
    }
    for (const locale of ['en', 'zh-CN'] as const) {
      const as = await actor(t.db, { locale });
      for (const line of [`brief "${account}"`, `tier "${account}"`, 'tier', 'audit', 'help']) {
        const reply = await as.run(line);
        expect(reply.status, `${line}: ${JSON.stringify(reply.data)}`).toBe('ok');
        const text = renderText(reply, [], { width: 80, locale });
        for (const row of text.split('\n')) expect(stringWidth(row), `${locale} ${line}: ${row}`).toBeLessThanOrEqual(80);
      }
    }
    // The brief declares its owners column the first to go on a narrow screen.
    const narrow = renderText(await admin.run(`brief "${account}"`), [], { width: 50 });
    expect(narrow).toMatch(/^Left out to fit 50 columns: Owners/m);
    expect(narrow).toMatch(/^ {2}Name +Position/m);
  });
});
