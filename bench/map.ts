/**
 * Power map render time (issue 18 part 1; goal: a 50-contact map in ≤ 150 ms).
 * `npx tsx bench/map.ts [--samples N]`: prints a table of SVG and SVG→PNG times
 * (median and p95 of N renders after one cold render, which cuts the font to the
 * characters used; later renders of the same characters reuse that cut) for 50 and 300 contacts.
 * Each timed render is of a new SVG (a comment numbers it), as the pictures already drawn are
 * kept by their SVG; "png kept" is asking again for one already drawn.
 */
import { performance } from 'node:perf_hooks';
import { svgToPng } from '../src/core/powermap-png.ts';
import { powerMapSvg, type MapTexts } from '../src/core/powermap-svg.ts';
import { LEVELS, POSITIONS, ROLES } from '../src/domain/model.ts';
import type { MapContact } from '../src/domain/powermap.ts';

const samples = Number(process.argv[process.argv.indexOf('--samples') + 1]) || 20;
const texts: MapTexts = {
  title: '权力地图 — Acme Telecom',
  levels: { opposed: '不认可', neutral: '中立', supportive: '支持', exclusive: '支持并排他', coach: '教练', unknown: '未知' },
  roles: { decision_maker: '决策者', influencer: '影响者', evaluator: '评估者', user: '使用者', none: '无' },
  noPosition: '无职位',
  more: (n) => `另有 ${n} 人`,
  singleOwner: '单一负责人',
  noOwner: '无负责人',
  trendLegend: '90 天趋势',
  gapsHeading: '缺口',
  gaps: ['没有教练', '单一负责人：张伟', '决策者不认可：李娜'],
  noGaps: '没有缺口。',
};
const SURNAMES = ['张', '王', '李', '赵', '陈', 'Smith ', 'Nair ', 'Baker '];
const contacts = (n: number): MapContact[] =>
  Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    name: `${SURNAMES[i % SURNAMES.length]}${i}`,
    position: i % 9 === 8 ? null : POSITIONS[i % 4]!,
    role: ROLES[i % 5]!,
    level: i % 6 === 5 ? null : LEVELS[i % 5]!,
    trend: (['up', 'down', 'flat', null] as const)[i % 4]!,
    owners: i % 3,
  }));

async function time(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

const rows: string[][] = [['contacts', 'svg median ms', 'png cold ms', 'png median ms', 'png p95 ms', 'png kept median ms', 'bytes']];
for (const n of [50, 300]) {
  const list = contacts(n);
  const svgTimes: number[] = [];
  let svg = '';
  for (let i = 0; i < samples; i++) svgTimes.push(await time(() => (svg = powerMapSvg(list, texts))));
  let png: Buffer = Buffer.alloc(0);
  const cold = await time(async () => (png = await svgToPng(svg)));
  const pngTimes: number[] = [];
  for (let i = 0; i < samples; i++) pngTimes.push(await time(async () => (png = await svgToPng(powerMapSvg(list, texts).replace('</svg>', `<!-- ${n}.${i} --></svg>`)))));
  const keptTimes: number[] = [];
  for (let i = 0; i < samples; i++) keptTimes.push(await time(() => svgToPng(svg)));
  rows.push([String(n), pct(svgTimes, 0.5).toFixed(2), cold.toFixed(1), pct(pngTimes, 0.5).toFixed(1), pct(pngTimes, 0.95).toFixed(1), pct(keptTimes, 0.5).toFixed(2), String(png.length)]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((v, c) => v.padStart(widths[c]!)).join('  '));
