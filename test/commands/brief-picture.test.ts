import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePrivateFile } from '../../src/core/private-file.ts';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/** Every `brief` of an account carries its power map (issue 18 part 1), drawn lazily; `--out` writes it. */
describe('brief with the power map', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let dir: string;
  beforeEach(async () => {
    t = await tempDb();
    dir = await mkdtemp(join(tmpdir(), 'mcr-brief-'));
    const admin = await actor(t.db);
    await admin.run('account add "Acme Telecom" --tier strategic --account-manager alice@example.com');
    await admin.run('contact add "张伟" --account Acme --position S --role decision_maker --owner-a alice@example.com');
    await admin.run('account add "Empty Corp" --account-manager alice@example.com');
  });
  afterEach(async () => {
    await t.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('carries the picture as a thunk: the command draws nothing, the adapter draws it when asked', async () => {
    const me = await actor(t.db);
    const reply = await me.run('brief Acme');
    expect(reply.status).toBe('ok');
    expect(reply.image).toMatchObject({ fileName: expect.stringMatching(/^power-map-\d+\.png$/), title: 'Power map — Acme Telecom' });
    expect(typeof reply.image!.png).toBe('function');
    const png = PNG.sync.read(await reply.image!.png());
    expect(png.width).toBeGreaterThan(600);
    // Drawn smaller on request (Teams' inline size).
    expect(PNG.sync.read(await reply.image!.png({ scale: 0.5 })).width).toBe(Math.round(png.width / 2));
    // The contact's brief has it too.
    expect((await me.run('brief 张伟')).image?.title).toBe('Power map — Acme Telecom');
  });

  it('has no picture for an account with no contacts (an empty map says nothing the brief does not)', async () => {
    const reply = await (await actor(t.db)).run('brief Empty');
    expect(reply.status).toBe('ok');
    expect(reply.image).toBeUndefined();
  });

  it('--out writes the PNG or SVG and says where; the JSON stays the brief', async () => {
    const me = await actor(t.db);
    const without = await me.run('brief Acme');
    const file = join(dir, 'acme.png');
    const reply = await me.run(`brief Acme --out ${file}`);
    expect(replyText(reply)).toContain(file);
    expect(reply.image).toBeUndefined();
    expect(PNG.sync.read(await readFile(file)).width).toBeGreaterThan(600);
    expect(reply.data).toEqual(without.data);
    await me.run(`brief Acme --out ${join(dir, 'acme.svg')}`);
    expect(await readFile(join(dir, 'acme.svg'), 'utf8')).toContain('张伟');
    const wrong = await me.run(`brief Acme --out ${join(dir, 'acme.jpg')}`);
    expect(wrong.data).toMatchObject({ error: 'command.usage' });
    expect(replyText(wrong)).toContain('--out FILE.png|FILE.svg');
  });

  it('from chat, --out writes nothing on the server: the picture goes with the reply', async () => {
    const me = await actor(t.db);
    (me.ctx as { via: string }).via = 'slack';
    const reply = await me.run(`brief Acme --out ${join(dir, 'chat.png')}`);
    expect(reply.image?.fileName).toMatch(/\.png$/);
    await expect(readFile(join(dir, 'chat.png'))).rejects.toThrow();
  });

  it('in the CLI, without --out, prints a one-line hint instead of drawing', async () => {
    const me = await actor(t.db);
    (me.ctx as { via: string }).via = 'cli';
    const reply = await me.run('brief Acme');
    expect(reply.image).toBeUndefined();
    expect(replyText(reply)).toMatch(/Power map picture: mcr brief #\d+ --out map\.png/);
  });

  it('writes private files: a folder made by mkdtemp (0700), files of mode 0600', async () => {
    const file = await writePrivateFile('../escape.png', Buffer.from('x'));
    expect(file.startsWith(tmpdir())).toBe(true);
    expect(file.endsWith('/escape.png')).toBe(true);
    const { stat } = await import('node:fs/promises');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(file, '..'))).mode & 0o777).toBe(0o700);
  });
});
