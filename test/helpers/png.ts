import type { PNG } from 'pngjs';

/** Pixels per colour (`#RRGGBB`). */
export function colours(png: PNG): Map<string, number> {
  const seen = new Map<string, number>();
  for (let i = 0; i < png.data.length; i += 4) {
    const key = `#${[png.data[i], png.data[i + 1], png.data[i + 2]].map((v) => v!.toString(16).padStart(2, '0').toUpperCase()).join('')}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return seen;
}
