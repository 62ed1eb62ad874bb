import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { MAP_FONT_FAMILY } from './powermap-svg.ts';

const require = createRequire(import.meta.url);
/** Noto Sans SC Regular (TTF, from @expo-google-fonts/noto-sans-sc): Chinese names draw the same on every machine. */
export const MAP_FONT_FILE = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

/** SVG → PNG with resvg, fonts loaded explicitly (no system fonts) so output is the same everywhere. */
export function svgToPng(svg: string, fontFiles: string[] = [MAP_FONT_FILE]): Buffer {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles, defaultFontFamily: MAP_FONT_FAMILY, sansSerifFamily: MAP_FONT_FAMILY },
    fitTo: { mode: 'original' },
  });
  return resvg.render().asPng();
}
