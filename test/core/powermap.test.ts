import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it, vi } from 'vitest';
import { svgToPng } from '../../src/core/powermap-png.ts';
import { MAP_COLOURS, powerMapSvg, type MapTexts } from '../../src/core/powermap-svg.ts';
import { colours } from '../helpers/png.ts';
import { LEVELS, POSITIONS, ROLES } from '../../src/domain/model.ts';
import { MAP, layoutPowerMap, type MapContact } from '../../src/domain/powermap.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const texts: MapTexts = {
  title: 'Power map — Acme',
  levels: { opposed: 'Opposed', neutral: 'Neutral', supportive: 'Supportive', exclusive: 'Exclusive supporter', coach: 'Coach', unknown: 'Unknown' },
  roles: { decision_maker: 'Decision maker', influencer: 'Influencer', evaluator: 'Evaluator', user: 'User', none: 'None' },
  noPosition: 'No position',
  more: (n) => `+${n} more`,
  singleOwner: 'Single owner',
  noOwner: 'No owner',
  trendLegend: '90-day trend',
  gapsHeading: 'Gaps',
  gaps: ['No coach', 'Single-owner relationship: 张伟'],
  noGaps: 'No gaps.',
};

const contact = (id: number, over: Partial<MapContact> = {}): MapContact => ({ id, name: `Contact ${id}`, position: 'B', role: 'user', level: null, trend: null, owners: 2, ...over });

function decode(png: Buffer): PNG {
  return PNG.sync.read(png);
}

/** A box is 150×58 px; the legend's swatch 14×14: more than a swatch means a contact drawn in it. */
const BOX = 2000;

/** Pixels darker than mid-grey: the ink of the text. */
function ink(png: PNG): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! + png.data[i + 1]! + png.data[i + 2]! < 384) n++;
  return n;
}

describe('power map layout (issue 18 part 1, §2)', () => {
  it('puts contacts in their position row, decision chain first, and counts the rest beyond the cap', async () => {
    const many = Array.from({ length: 300 }, (_, i) => contact(i + 1, { position: POSITIONS[i % 4]!, role: ROLES[i % 5]!, name: `N${String(i).padStart(3, '0')}` }));
    const layout = layoutPowerMap(many, 0);
    expect(layout.rows.map((r) => r.position)).toEqual(['S', 'A', 'B', 'C']);
    for (const row of layout.rows) {
      expect(row.nodes).toHaveLength(MAP.perRow - 1);
      expect(row.more).toBe(75 - (MAP.perRow - 1));
      expect(row.nodes.every((n) => n.contact.position === row.position)).toBe(true);
      const roles = row.nodes.map((n) => ROLES.indexOf(n.contact.role));
      expect(roles).toEqual([...roles].sort((a, b) => a - b));
    }
    expect(layout.width).toBeLessThan(1600);
  });

  it('adds a row for contacts without a position only when there are some, and marks owners', async () => {
    const layout = layoutPowerMap([contact(1, { position: null, owners: 0 }), contact(2, { position: 'S', owners: 1 })], 0);
    expect(layout.rows.map((r) => r.position)).toEqual(['S', 'A', 'B', 'C', null]);
    expect(layout.rows[4]!.nodes[0]!.ownership).toBe('none');
    expect(layout.rows[0]!.nodes[0]!.ownership).toBe('single');
    expect(layoutPowerMap([contact(3)], 0).rows).toHaveLength(4);
  });
});

describe('power map SVG and PNG', () => {
  const six: MapContact[] = [...LEVELS, null].map((level, i) => contact(i + 1, { level, position: POSITIONS[i % 4]!, trend: (['up', 'down', 'flat', null] as const)[i % 4]!, owners: i % 3 }));

  it('writes each level, the gaps and escapes names', async () => {
    const svg = powerMapSvg([...six, contact(9, { name: 'R&D <Lead>' })], texts);
    for (const word of Object.values(texts.levels)) expect(svg).toContain(`>${word}<`);
    expect(svg).toContain('• No coach');
    expect(svg).toContain('R&amp;D &lt;Lead&gt;');
    expect(svg).not.toContain('R&D <Lead>');
  });

  it('renders a PNG of the layout size in which every attitude colour appears', async () => {
    const layout = layoutPowerMap(six, texts.gaps.length);
    const png = decode(await svgToPng(powerMapSvg(six, texts)));
    expect([png.width, png.height]).toEqual([layout.width, layout.height]);
    const seen = colours(png);
    for (const { fill } of Object.values(MAP_COLOURS)) expect(seen.get(fill)).toBeGreaterThan(BOX);
    // Only the legend's swatch of a level nobody has.
    const noCoach = colours(decode(await svgToPng(powerMapSvg(six.filter((c) => c.level !== 'coach'), texts))));
    expect(noCoach.get(MAP_COLOURS.coach.fill)).toBeLessThan(BOX);
  });

  it('draws a Chinese name with glyphs, not missing-glyph boxes', async () => {
    const alone = async (name: string) => decode(await svgToPng(`<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="100%" height="100%" fill="#FFFFFF"/><text x="4" y="30" font-size="24" font-family="Noto Sans SC">${name}</text></svg>`));
    const chinese = await alone('张伟');
    // A private-use code point has no glyph in any font: what "boxes" (tofu) look like, if any.
    const missing = await alone('\uE000\uE001');
    const other = await alone('王芳');
    expect(ink(chinese)).toBeGreaterThan(100);
    expect(Buffer.compare(chinese.data, missing.data)).not.toBe(0);
    // Different characters, different pictures: glyphs, not one box shape repeated.
    expect(Buffer.compare(chinese.data, other.data)).not.toBe(0);
    // Whereas two missing characters draw the very same box: the check above can fail.
    expect(Buffer.compare(missing.data, (await alone('\uE002\uE003')).data)).toBe(0);
  });

  it('draws a picture once for the same SVG and scale, again for another', async () => {
    const svg = powerMapSvg(six, texts);
    const first = await svgToPng(svg);
    // The very buffer kept: not drawn a second time.
    expect(await svgToPng(svg)).toBe(first);
    const smaller = await svgToPng(svg, { scale: 0.5 });
    expect(smaller).not.toBe(first);
    expect(decode(smaller).width).toBe(Math.round(decode(first).width / 2));
    const changed = await svgToPng(powerMapSvg(six.slice(1), texts));
    expect(Buffer.compare(changed, first)).not.toBe(0);
  });

  it('keeps a picture ten minutes at most, however often it is asked for', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const svg = powerMapSvg(six.slice(2), texts);
      const first = await svgToPng(svg);
      vi.advanceTimersByTime(9 * 60_000);
      expect(await svgToPng(svg)).toBe(first);
      vi.advanceTimersByTime(60_000);
      const again = await svgToPng(svg);
      expect(again).not.toBe(first);
      expect(Buffer.compare(again, first)).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('draws one picture for two asking at once, and does not keep one that failed', async () => {
    const broken = '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"></svg>';
    const first = svgToPng(broken);
    expect(svgToPng(broken)).toBe(first);
    await expect(first).rejects.toThrow(/power map picture/);
    // Asked again, it is drawn again, not answered from the kept failure.
    const again = svgToPng(broken);
    expect(again).not.toBe(first);
    await expect(again).rejects.toThrow(/power map picture/);
  });
});

describe('the fonts a picture is drawn with', () => {
  it('are cut to its characters in a folder of the process, removed when the process exits', () => {
    // A process of its own with a temporary folder of its own: what it leaves behind is all there.
    const tmp = mkdtempSync(join(tmpdir(), 'mcr-fonts-test-'));
    try {
      const script = "const { svgToPng } = await import('./src/core/powermap-png.ts'); await svgToPng('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"60\" height=\"20\"><text x=\"0\" y=\"15\">王芳</text></svg>'); console.log(require('node:fs').readdirSync(process.env.TMPDIR).filter((f) => f.startsWith('mcr-')).length)";
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script.replace("require('node:fs')", "(await import('node:fs'))")], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: tmp, TMPDIR: tmp },
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe('1');
      // (tsx keeps its compile cache there too; it is not ours to remove.)
      expect(readdirSync(tmp).filter((f) => f.startsWith('mcr-'))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
