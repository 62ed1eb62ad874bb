import type { Trend } from '../domain/attitude.ts';
import type { Level, Role } from '../domain/model.ts';
import { MAP, layoutPowerMap, type MapContact, type MapNode } from '../domain/powermap.ts';

/**
 * Okabe-Ito (colour-blind safe) per attitude level (§3); the level is also written in
 * each box, so colour is never the only cue. Unknown is a light grey.
 */
export const MAP_COLOURS: Record<Level | 'unknown', { fill: string; text: string }> = {
  opposed: { fill: '#D55E00', text: '#000000' },
  neutral: { fill: '#F0E442', text: '#000000' },
  supportive: { fill: '#56B4E9', text: '#000000' },
  exclusive: { fill: '#009E73', text: '#000000' },
  coach: { fill: '#0072B2', text: '#FFFFFF' },
  unknown: { fill: '#CCCCCC', text: '#000000' },
};
const MARK = '#CC0000';

/** Every word the picture shows, already translated (the renderer knows no locale). */
export interface MapTexts {
  title: string;
  levels: Record<Level | 'unknown', string>;
  roles: Record<Role, string>;
  noPosition: string;
  more: (count: number) => string;
  singleOwner: string;
  noOwner: string;
  trendLegend: string;
  gapsHeading: string;
  gaps: string[];
  noGaps: string;
}

export const MAP_FONT_FAMILY = 'Noto Sans SC';

/** The power map as SVG text (issue 18 part 1): pure, no I/O. */
export function powerMapSvg(contacts: readonly MapContact[], texts: MapTexts): string {
  const layout = layoutPowerMap(contacts, texts.gaps.length);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${MAP_FONT_FAMILY}">`,
    `<rect width="100%" height="100%" fill="#FFFFFF"/>`,
    text(MAP.margin, MAP.margin + 20, texts.title, 20, '#000000', 'bold'),
  );
  // Legend: the six colours with their words, then the markers.
  let x = MAP.margin;
  const legendY = MAP.margin + 40;
  for (const key of ['opposed', 'neutral', 'supportive', 'exclusive', 'coach', 'unknown'] as const) {
    out.push(`<rect x="${x}" y="${legendY}" width="14" height="14" fill="${MAP_COLOURS[key].fill}" stroke="#333333"/>`, text(x + 18, legendY + 12, texts.levels[key], 12));
    x += 26 + approxWidth(texts.levels[key], 12);
  }
  x = MAP.margin;
  const markY = legendY + 24;
  out.push(`<rect x="${x}" y="${markY}" width="14" height="14" fill="#FFFFFF" stroke="${MARK}" stroke-width="2" stroke-dasharray="4 2"/>`, text(x + 18, markY + 12, texts.singleOwner, 12));
  x += 30 + approxWidth(texts.singleOwner, 12);
  out.push(`<rect x="${x}" y="${markY}" width="14" height="14" fill="#FFFFFF" stroke="${MARK}" stroke-width="3"/>`, text(x + 18, markY + 12, texts.noOwner, 12));
  x += 30 + approxWidth(texts.noOwner, 12);
  out.push(arrow(x + 7, markY + 7, 'up', '#000000'), arrow(x + 22, markY + 7, 'down', '#000000'), arrow(x + 37, markY + 7, 'flat', '#000000'), text(x + 50, markY + 12, texts.trendLegend, 12));

  for (const row of layout.rows) {
    const label = row.position ?? texts.noPosition;
    out.push(`<line x1="${MAP.margin}" y1="${row.y - 12}" x2="${layout.width - MAP.margin}" y2="${row.y - 12}" stroke="#DDDDDD"/>`);
    out.push(text(MAP.margin, row.y + MAP.nodeHeight / 2 + 8, label, row.position ? 24 : 12, '#555555', 'bold'));
    for (const node of row.nodes) out.push(nodeSvg(node, texts));
    if (row.more > 0) {
      out.push(
        `<rect x="${row.moreX}" y="${row.y}" width="${MAP.nodeWidth}" height="${MAP.nodeHeight}" rx="6" fill="#FFFFFF" stroke="#999999" stroke-dasharray="3 3"/>`,
        text(row.moreX + 10, row.y + MAP.nodeHeight / 2 + 5, texts.more(row.more), 14, '#333333'),
      );
    }
  }
  out.push(text(MAP.margin, layout.gapsY + 14, texts.gapsHeading, 14, '#000000', 'bold'));
  const gaps = texts.gaps.length > 0 ? texts.gaps.map((g) => `• ${g}`) : [texts.noGaps];
  gaps.forEach((g, i) => out.push(text(MAP.margin, layout.gapsY + 14 + (i + 1) * MAP.gapLineHeight, g, 12, texts.gaps.length > 0 ? '#000000' : '#555555')));
  out.push('</svg>');
  return out.join('\n');
}

function nodeSvg(node: MapNode, texts: MapTexts): string {
  const c = node.contact;
  const colour = MAP_COLOURS[c.level ?? 'unknown'];
  const stroke = node.ownership === 'none' ? `stroke="${MARK}" stroke-width="4"` : node.ownership === 'single' ? `stroke="${MARK}" stroke-width="3" stroke-dasharray="6 3"` : 'stroke="#333333" stroke-width="1"';
  const parts = [
    `<rect x="${node.x}" y="${node.y}" width="${MAP.nodeWidth}" height="${MAP.nodeHeight}" rx="6" fill="${colour.fill}" ${stroke}/>`,
    text(node.x + 8, node.y + 20, fitText(c.name, 16, MAP.nodeWidth - 30), 16, colour.text, 'bold'),
    text(node.x + 8, node.y + 37, fitText(texts.roles[c.role], 11, MAP.nodeWidth - 16), 11, colour.text),
    text(node.x + 8, node.y + 52, fitText(texts.levels[c.level ?? 'unknown'], 11, MAP.nodeWidth - 16), 11, colour.text),
  ];
  if (c.trend) parts.push(arrow(node.x + MAP.nodeWidth - 13, node.y + 14, c.trend, colour.text));
  if (node.ownership !== 'shared') {
    const mark = node.ownership === 'none' ? '!' : '1';
    parts.push(`<circle cx="${node.x + MAP.nodeWidth - 13}" cy="${node.y + MAP.nodeHeight - 13}" r="9" fill="${MARK}"/>`, text(node.x + MAP.nodeWidth - 16.5, node.y + MAP.nodeHeight - 8.5, mark, 12, '#FFFFFF', 'bold'));
  }
  return parts.join('');
}

/** The 90-day trend (§3) as a drawn arrow (no glyph needed): up, down, or flat (→). */
function arrow(cx: number, cy: number, trend: Trend, colour: string): string {
  const rotate = trend === 'up' ? -90 : trend === 'down' ? 90 : 0;
  return `<path d="M${cx - 6} ${cy - 1.5}h7v-4l6 5.5-6 5.5v-4h-7z" fill="${colour}" transform="rotate(${rotate} ${cx} ${cy})"/>`;
}

function text(x: number, y: number, value: string, size: number, fill = '#000000', weight?: 'bold'): string {
  return `<text x="${x}" y="${y}" font-size="${size}" fill="${fill}"${weight ? ` font-weight="${weight}"` : ''}>${escapeXml(value)}</text>`;
}

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

/** Width estimate: CJK and other wide characters a full em, the rest about 0.6 em. */
export function approxWidth(value: string, size: number): number {
  let width = 0;
  for (const ch of value) width += (ch.codePointAt(0)! >= 0x1100 ? 1 : 0.6) * size;
  return width;
}

/** Cuts a text to fit `width` pixels, ending in "…". */
export function fitText(value: string, size: number, width: number): string {
  if (approxWidth(value, size) <= width) return value;
  let cut = '';
  for (const ch of value) {
    if (approxWidth(`${cut}${ch}…`, size) > width) break;
    cut += ch;
  }
  return `${cut}…`;
}
