import { describe, expect, it } from 'vitest';
import { AbortedError, RunControl, YIELD_MS } from './run-control';

/** Keeps the thread busy for `ms`, as a training step does. */
const busy = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* a batch */
  }
};

describe('RunControl', () => {
  it('lets a pause that arrives while the loop trains take hold at the next checkpoint', async () => {
    const control = new RunControl();
    let resumed = false;
    // The pause comes from outside the loop (a worker message in the app; a timer here), and
    // the resume a little later.
    setTimeout(() => control.pause(), 0);
    setTimeout(() => {
      resumed = true;
      control.resume();
    }, 50);
    busy(YIELD_MS + 5);
    await control.checkpoint();
    // The checkpoint's yield let the pause in, and it waited for the resume.
    expect(resumed).toBe(true);
    expect(control.paused).toBe(false);
    // Later checkpoints find nothing to wait for.
    busy(YIELD_MS + 5);
    await control.checkpoint();
    expect(control.paused).toBe(false);
  });

  it('yields to the event loop only every YIELD_MS, and throws once aborted', async () => {
    const control = new RunControl();
    let ran = false;
    setTimeout(() => (ran = true), 0);
    // A quick checkpoint right after the start does not yield: the timer has not run.
    await control.checkpoint();
    expect(ran).toBe(false);
    busy(YIELD_MS + 5);
    await control.checkpoint();
    expect(ran).toBe(true);
    control.abort();
    await expect(control.checkpoint()).rejects.toBeInstanceOf(AbortedError);
  });

  it('answers yields of several loops in the order they asked', async () => {
    const a = new RunControl();
    const b = new RunControl();
    const order: string[] = [];
    busy(YIELD_MS + 5);
    await Promise.all([
      a.checkpoint().then(() => order.push('a')),
      b.checkpoint().then(() => order.push('b')),
    ]);
    expect(order).toEqual(['a', 'b']);
  });
});
