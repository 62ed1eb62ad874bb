import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { arg, flag } from '../src/core/args.ts';
import { assess } from '../src/core/assessment.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { AppError } from '../src/core/errors.ts';
import { gapText } from '../src/core/format.ts';
import { svgToPng } from '../src/core/powermap-png.ts';
import { writePrivateFile } from '../src/core/private-file.ts';
import { powerMapSvg, type MapTexts } from '../src/core/powermap-svg.ts';
import type { Reply, ReplyImage } from '../src/core/reply.ts';
import { resolveAccount } from '../src/core/resolve.ts';
import type { AccountAssessment } from '../src/domain/assess.ts';
import { LEVELS, ROLES } from '../src/domain/model.ts';
import type { MapContact } from '../src/domain/powermap.ts';
import type { Account } from '../src/domain/types.ts';
import { label, t, type Locale } from '../src/i18n/index.ts';

const USAGE = 'map <account> [--out FILE.png|FILE.svg]';

/**
 * `map <account>`: the power map picture (issue 18 part 1, mcr-model §2–§3, §9).
 * `--out` picks the file and, by its extension, the format (.png or .svg); without it
 * the console and CLI write a PNG in a private folder (mode 0700, file 0600) and print its path.
 */
export const map = defineCommand({
  name: 'map',
  usage: USAGE,
  grammar: { subject: { name: 'account', required: true }, flags: { out: arg.text('FILE.png|FILE.svg') } },
  summary: 'cmd.map.summary',
  examples: ['map Acme', 'map Acme --out acme.png'],
  run: async (ctx, args) => {
    const query = args.positional.join(' ');
    const out = flag(args, 'out');
    if (!query || !isPictureFile(out)) throw new AppError('command.usage', { usage: USAGE });
    const account = await resolveAccount(ctx, query);
    const { assessment } = await assess(ctx, account);
    const picture = renderPowerMap(ctx.locale, assessment);
    if (ctx.via !== 'cli' && ctx.via !== 'console') {
      // Chat: the picture goes with the reply (Slack uploads it, Teams shows it inline).
      const title = t(ctx.locale, 'map.title', { account: account.name });
      return { visibility: 'private', blocks: [{ type: 'text', text: title }], image: mapImage(account, title, picture.png) };
    }
    const file = out ? await writePicture(out, picture) : await writePrivateFile(`mcr-map-${account.id}-${ctx.today}.png`, await picture.png());
    return saved(ctx, account.name, file, assessment.contacts.length);
  },
});

function saved(ctx: Context, account: string, file: string, contacts: number): Reply {
  return { visibility: 'private', blocks: [{ type: 'text', text: t(ctx.locale, 'map.saved', { account, file, contacts }), tone: 'success' }], data: { account, file, contacts } };
}

/** The map's contacts from an assessment: §3 level and trend, §2 owners counted. */
export function mapContacts(a: AccountAssessment): MapContact[] {
  return a.contacts.map((c) => ({
    id: c.contact.id,
    name: c.contact.name,
    position: c.contact.position,
    role: c.contact.role,
    level: c.attitude.current?.level ?? null,
    trend: c.attitude.trend,
    owners: [c.contact.ownerAId, c.contact.ownerBId, c.contact.ownerCId].filter((id) => id !== null).length,
  }));
}

export function mapTexts(L: Locale, a: AccountAssessment): MapTexts {
  const contacts = new Map(a.contacts.map((c) => [c.contact.id, c.contact]));
  return {
    title: t(L, 'map.title', { account: a.account.name }),
    levels: { ...(Object.fromEntries(LEVELS.map((l) => [l, label(L, 'level', l)])) as Record<(typeof LEVELS)[number], string>), unknown: t(L, 'attitude.unknown') },
    roles: Object.fromEntries(ROLES.map((r) => [r, label(L, 'role', r)])) as MapTexts['roles'],
    noPosition: t(L, 'map.no_position'),
    more: (count) => t(L, 'map.more', { count }),
    singleOwner: t(L, 'map.single_owner'),
    noOwner: t(L, 'map.no_owner'),
    trendLegend: t(L, 'map.trend'),
    gapsHeading: t(L, 'brief.gaps'),
    gaps: a.gaps.map((g) => gapText(L, g, contacts)),
    noGaps: t(L, 'tier.no_gaps'),
  };
}

/** The picture of one assessment, drawn only when asked for: the SVG (once), the PNG from it. */
export function renderPowerMap(L: Locale, a: AccountAssessment): { svg: () => string; png: ReplyImage['png'] } {
  let drawn: string | undefined;
  const svg = () => (drawn ??= powerMapSvg(mapContacts(a), mapTexts(L, a)));
  return { svg, png: (options) => svgToPng(svg(), options) };
}

/** `--out` of `map` and `brief`: absent, or a file named .png or .svg (the format by extension). */
export function isPictureFile(out: string | undefined): boolean {
  return out === undefined || ['.png', '.svg'].includes(extname(out).toLowerCase());
}

/** Writes the picture to `out`, SVG or PNG by its extension; the file's full path. */
export async function writePicture(out: string, picture: ReturnType<typeof renderPowerMap>): Promise<string> {
  const file = resolve(out);
  await writeFile(file, extname(file).toLowerCase() === '.svg' ? picture.svg() : await picture.png());
  return file;
}

/** The picture as a reply's image: the file name chat shows, its title, the PNG when asked. */
export function mapImage(account: Pick<Account, 'id'>, title: string, png: ReplyImage['png']): ReplyImage {
  return { fileName: `power-map-${account.id}.png`, title, png, again: `map #${account.id}` };
}
