// @vitest-environment jsdom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { requestRedraw } from './redraw-queue';
import { useQueuedValue } from './use-deferred-results';
import { sameData, useSameValue } from './use-same-value';

afterEach(cleanup);

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('requestRedraw', () => {
  it('grants one turn at a time, in order, each in a task after the last turn settled', async () => {
    const log: string[] = [];
    const dones: (() => void)[] = [];
    for (const name of ['a', 'b', 'c']) {
      requestRedraw((done) => {
        log.push(name);
        dones.push(done);
      });
    }
    expect(log).toEqual([]); // never in the caller's task
    await waitFor(() => expect(log).toEqual(['a']));
    await tick(50);
    expect(log).toEqual(['a']); // b waits until a is done
    dones[0]!();
    expect(log).toEqual(['a']); // and a few frames more
    await waitFor(() => expect(log).toEqual(['a', 'b']));
    dones[1]!();
    await waitFor(() => expect(log).toEqual(['a', 'b', 'c']));
    dones[2]!();
  });

  it('drops a waiting ticket that is cancelled, and a cancelled turn lets the next one go', async () => {
    const log: string[] = [];
    const first = requestRedraw(() => log.push('first'));
    const second = requestRedraw(() => log.push('second'));
    requestRedraw((done) => {
      log.push('third');
      done();
    });
    await waitFor(() => expect(log).toEqual(['first']));
    second.cancel();
    first.cancel(); // ends the turn without its done
    await waitFor(() => expect(log).toEqual(['first', 'third']));
  });
});

describe('useQueuedValue', () => {
  it('shows the first value at once and ends on the latest of a burst, skipping the ones between', async () => {
    const seen: number[] = [];
    const { result, rerender } = renderHook(
      ({ value }) => {
        const shown = useQueuedValue(value);
        seen.push(shown);
        return shown;
      },
      { initialProps: { value: 1 } },
    );
    expect(result.current).toBe(1);
    act(() => rerender({ value: 2 }));
    act(() => rerender({ value: 3 }));
    act(() => rerender({ value: 4 }));
    await waitFor(() => expect(result.current).toBe(4));
    expect(seen).not.toContain(2);
    expect(seen).not.toContain(3);
  });

  it('serves two consumers one after the other, each ending on its latest value', async () => {
    const a = renderHook(({ value }) => useQueuedValue(value), { initialProps: { value: 'a0' } });
    const b = renderHook(({ value }) => useQueuedValue(value), { initialProps: { value: 'b0' } });
    act(() => a.rerender({ value: 'a1' }));
    act(() => b.rerender({ value: 'b1' }));
    await waitFor(() => expect(a.result.current).toBe('a1'));
    await waitFor(() => expect(b.result.current).toBe('b1'));
    // A consumer that goes away mid-turn does not hold up the others.
    act(() => a.rerender({ value: 'a2' }));
    act(() => b.rerender({ value: 'b2' }));
    a.unmount();
    await waitFor(() => expect(b.result.current).toBe('b2'));
  });
});

describe('sameData / useSameValue', () => {
  it('compares plain data by content', () => {
    expect(sameData([{ x: 1, y: [2, 3] }], [{ x: 1, y: [2, 3] }])).toBe(true);
    expect(sameData([{ x: 1, y: [2, 3] }], [{ x: 1, y: [2, 4] }])).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameData(NaN, NaN)).toBe(true);
    expect(sameData(null, {})).toBe(false);
  });

  it('keeps the earlier object while the content is the same', () => {
    const first = [{ label: 'dense 1', acc: 97.5 }];
    const { result, rerender } = renderHook(({ value }) => useSameValue(value), {
      initialProps: { value: first },
    });
    rerender({ value: [{ label: 'dense 1', acc: 97.5 }] });
    expect(result.current).toBe(first);
    const second = [...first, { label: 'dense 2', acc: 97.9 }];
    rerender({ value: second });
    expect(result.current).toBe(second);
  });
});
