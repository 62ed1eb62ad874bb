import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.ts';
import { PICTURES_WAITING_MAX, svgToPng } from '../../src/core/powermap-png.ts';

/** A small picture that no other test draws (a number in it), so none is kept from before. */
const picture = (n: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="100%" height="100%" fill="#FFFFFF"/><text x="4" y="30" font-size="24" font-family="Noto Sans SC">busy ${n}</text></svg>`;

/** The nice value of each of this process's threads (Linux: field 19 of /proc/self/task/TID/stat). */
function threadNiceness(): number[] {
  return readdirSync('/proc/self/task').map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
}

describe('the power map drawing thread under more than it can draw (issue 19 part 2)', () => {
  it(`refuses a picture past ${PICTURES_WAITING_MAX} waiting at once, with a code the adapters translate, and draws the rest`, async () => {
    const asked = Array.from({ length: PICTURES_WAITING_MAX + 8 }, (_, i) => svgToPng(picture(Date.now() * 100 + i)));
    const settled = await Promise.allSettled(asked);
    const refused = settled.filter((s) => s.status === 'rejected');
    expect(refused).toHaveLength(8);
    for (const one of refused) expect((one as PromiseRejectedResult).reason).toEqual(expect.objectContaining({ code: 'map.busy' }));
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(PICTURES_WAITING_MAX);
    // Once drawn, a picture is asked for again like any other.
    expect((await svgToPng(picture(-1))).subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);

  it.skipIf(process.platform !== 'linux')('draws at the lowest CPU priority, so answers and digests go first on a busy machine', async () => {
    await svgToPng(picture(-2));
    expect(threadNiceness()).toContain(19);
    // The rest of the process keeps its priority.
    expect(threadNiceness().filter((n) => n === 0).length).toBeGreaterThan(0);
  });
});
