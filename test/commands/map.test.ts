import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAP_COLOURS } from '../../src/core/powermap-svg.ts';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';
import { colours } from '../helpers/png.ts';

/** `map <account>` (issue 18 part 1) through the dispatcher, as typed in the console, on this run's engine. */
describe('map', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let dir: string;
  beforeEach(async () => {
    t = await tempDb();
    dir = await mkdtemp(join(tmpdir(), 'mcr-map-'));
    const admin = await actor(t.db);
    await admin.run('account add "Acme Telecom" --tier strategic --account-manager alice@example.com');
    await admin.run('contact add "张伟" --account Acme --position S --role decision_maker --owner-a alice@example.com');
    await admin.run('contact add "Tom Baker" --account Acme --position B --role evaluator --owner-a alice@example.com --owner-b bob@example.com');
    await admin.run('contact add "Li Na" --account Acme --position C --role user');
    await admin.run('rate 张伟 opposed --date 2026-11-01');
    await admin.run('rate "Tom Baker" neutral --date 2026-07-01');
    await admin.run('rate "Tom Baker" coach --date 2026-11-10');
  });
  afterEach(async () => {
    await t.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a PNG by the --out extension, with each contact’s attitude colour', async () => {
    const me = await actor(t.db);
    const file = join(dir, 'acme.png');
    const reply = await me.run(`map Acme --out ${file}`);
    expect(reply.status).toBe('ok');
    expect(replyText(reply)).toContain(file);
    const png = PNG.sync.read(await readFile(file));
    expect(png.width).toBeGreaterThan(600);
    const seen = colours(png);
    // A contact's box is about 8,700 px of its colour; the legend's swatch under 200.
    for (const level of ['opposed', 'coach', 'unknown'] as const) expect(seen.get(MAP_COLOURS[level].fill)).toBeGreaterThan(2000);
    for (const level of ['neutral', 'supportive', 'exclusive'] as const) expect(seen.get(MAP_COLOURS[level].fill)).toBeLessThan(2000);
  });

  it('writes SVG with names, levels, the trend arrow and the §9 gaps, in Chinese too', async () => {
    const me = await actor(t.db, { locale: 'zh-CN' });
    const file = join(dir, 'acme.svg');
    expect((await me.run(`map Acme --out ${file}`)).status).toBe('ok');
    const svg = await readFile(file, 'utf8');
    for (const word of ['张伟', 'Tom Baker', 'Li Na', '不认可', '教练', '决策者', '缺口', '单一负责人']) expect(svg).toContain(word);
    // Tom went from neutral to coach in 90 days: one arrow, pointing up.
    expect(svg.match(/rotate\(-90 /g)).toHaveLength(2); // the legend's and Tom's
  });

  it('refuses another extension as a usage error naming --out, writing nothing', async () => {
    const me = await actor(t.db);
    const reply = await me.run(`map Acme --out ${join(dir, 'acme.jpg')}`);
    expect(reply.data).toMatchObject({ error: 'command.usage' });
    expect(replyText(reply)).toContain('--out FILE.png|FILE.svg');
    await expect(readFile(join(dir, 'acme.jpg'))).rejects.toThrow();
  });

  it('is offered by the brief, and without --out the console writes a PNG in the temp folder and prints its path', async () => {
    const me = await actor(t.db);
    const brief = await me.run('brief Acme');
    const offered = brief.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : [])).find((a) => a.command.startsWith('map #'));
    expect(offered?.label).toBe('Power map');
    const reply = await me.run(offered!.command);
    const file = (reply.data as { file: string }).file;
    expect(file.startsWith(tmpdir())).toBe(true);
    expect(replyText(reply)).toContain(file);
    try {
      expect(PNG.sync.read(await readFile(file)).width).toBeGreaterThan(600);
    } finally {
      await rm(file, { force: true });
    }
  });
});
