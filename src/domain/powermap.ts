import type { Trend } from './attitude.ts';
import { POSITIONS, ROLES, type Level, type Position, type Role } from './model.ts';

/** One contact as the power map needs it (§2 position/role/owners, §3 level and trend). */
export interface MapContact {
  id: number;
  name: string;
  position: Position | null;
  role: Role;
  level: Level | null;
  trend: Trend | null;
  /** How many of owner_a/b/c are set (§2 AB角): 0 = no owner, 1 = single owner. */
  owners: number;
}

export type Ownership = 'none' | 'single' | 'shared';

export interface MapNode {
  contact: MapContact;
  x: number;
  y: number;
  ownership: Ownership;
}

export interface MapRow {
  /** `S`/`A`/`B`/`C`, or null for contacts without a position. */
  position: Position | null;
  y: number;
  nodes: MapNode[];
  /** Contacts of this row not drawn (beyond the per-row cap): counted as "+N more". */
  more: number;
  moreX: number;
}

export interface MapLayout {
  width: number;
  height: number;
  rows: MapRow[];
  /** Where the gap list starts. */
  gapsY: number;
}

export const MAP = {
  margin: 24,
  rowLabelWidth: 56,
  nodeWidth: 150,
  nodeHeight: 58,
  gapX: 12,
  rowHeight: 84,
  headerHeight: 96,
  /** Per-row cap: beyond it the rest of the row is counted, so 300 contacts stay readable. */
  perRow: 8,
  gapLineHeight: 20,
} as const;

const ROW_ORDER: Array<Position | null> = [...POSITIONS, null];

/**
 * The power map's layout (issue 18 part 1): one row per position S → C (§2), then the
 * contacts without one; in a row the decision chain first (role order of §2, key before
 * `none`), then by name. Rows keep their place even when empty, so maps compare at a glance.
 */
export function layoutPowerMap(contacts: readonly MapContact[], gapCount: number, perRow: number = MAP.perRow): MapLayout {
  const rows: MapRow[] = [];
  let y = MAP.margin + MAP.headerHeight;
  let widest = 0;
  for (const position of ROW_ORDER) {
    const members = contacts
      .filter((c) => c.position === position)
      .sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.name.localeCompare(b.name) || a.id - b.id);
    if (position === null && members.length === 0) continue;
    const shown = members.length > perRow ? members.slice(0, perRow - 1) : members;
    const nodes = shown.map((contact, i) => ({ contact, x: MAP.margin + MAP.rowLabelWidth + i * (MAP.nodeWidth + MAP.gapX), y, ownership: ownership(contact.owners) }));
    const more = members.length - shown.length;
    const moreX = MAP.margin + MAP.rowLabelWidth + shown.length * (MAP.nodeWidth + MAP.gapX);
    widest = Math.max(widest, shown.length + (more > 0 ? 1 : 0));
    rows.push({ position, y, nodes, more, moreX });
    y += MAP.rowHeight;
  }
  const width = MAP.margin * 2 + MAP.rowLabelWidth + Math.max(widest, 4) * (MAP.nodeWidth + MAP.gapX);
  const gapsY = y + 8;
  const height = gapsY + MAP.gapLineHeight * (Math.max(gapCount, 1) + 1) + MAP.margin;
  return { width, height, rows, gapsY };
}

export function ownership(owners: number): Ownership {
  return owners === 0 ? 'none' : owners === 1 ? 'single' : 'shared';
}
