import { describe, expect, it } from 'vitest';
import { createTurns } from '../../src/core/turns.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("one person's requests, one at a time in the order they came", () => {
  it('a request waits for the one before it of the same person, not for anyone else', async () => {
    const turns = createTurns();
    const order: string[] = [];
    const first = turns.take('T1:U1');
    const second = turns.take('T1:U1');
    const other = turns.take('T1:U2');
    void second.ready.then(() => order.push('second'));
    void other.ready.then(() => order.push('other'));
    await first.ready;
    order.push('first');
    await tick();
    expect(order.sort()).toEqual(['first', 'other']);
    first.release();
    await tick();
    expect(order).toEqual(['first', 'other', 'second']);
  });

  it('goes in arrival order through a line of three, and forgets a line once it is empty', async () => {
    const turns = createTurns();
    const order: number[] = [];
    const line = [0, 1, 2].map(() => turns.take('T1:U1'));
    line.forEach((turn, i) => void turn.ready.then(() => order.push(i)));
    for (const turn of line) {
      await tick();
      turn.release();
    }
    await tick();
    expect(order).toEqual([0, 1, 2]);
    expect(turns.size).toBe(0);
  });

  it('releasing twice, or before the turn came, does not let a later request jump ahead', async () => {
    const turns = createTurns();
    const first = turns.take('T1:U1');
    const second = turns.take('T1:U1');
    const third = turns.take('T1:U1');
    let thirdReady = false;
    void third.ready.then(() => (thirdReady = true));
    second.release();
    second.release();
    await tick();
    expect(thirdReady).toBe(false);
    first.release();
    await tick();
    expect(thirdReady).toBe(true);
  });

  it('a request stuck for ever holds the next one only as long as the wait allows', async () => {
    const turns = createTurns(30);
    turns.take('T1:U1');
    const started = Date.now();
    await turns.take('T1:U1').ready;
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
