import { describe, expect, it, vi } from 'vitest';
import { testClient } from '../test/in-process';
import { tinyConfig } from '../test/fixtures';
import { liveStates, previewDeferred, shownInspectCycle } from './inspect-slice';
import { createAppStore } from './store';

describe('liveStates', () => {
  it('lists dense once trained and each cycle once retrained', () => {
    expect(liveStates(null)).toEqual([]);
    expect(liveStates({ stage: 'untrained', cycle: 0, cycles: 3, done: false })).toEqual([]);
    expect(liveStates({ stage: 'trained', cycle: 0, cycles: 3, done: false })).toEqual([0]);
    expect(liveStates({ stage: 'pruned', cycle: 2, cycles: 3, done: false })).toEqual([0, 1]);
    expect(liveStates({ stage: 'retrained', cycle: 2, cycles: 3, done: false }, 1)).toEqual([1, 2]);
  });
});

describe('inspect slice over an in-process engine', () => {
  it('asks nothing while every view is closed, then only what the open views show', async () => {
    const client = testClient();
    const inspect = vi.spyOn(client, 'inspect');
    const store = createAppStore(client, tinyConfig());
    await store.getState().run('runAll');
    expect(inspect).not.toHaveBeenCalled(); // closed views cost nothing
    expect(shownInspectCycle(store.getState())).toBe(2); // the latest by default

    store.getState().setInspectOpen('weights', true);
    await vi.waitFor(() => expect(store.getState().inspected[2]?.weights).toBeDefined());
    expect(inspect).toHaveBeenCalledTimes(1);
    expect(inspect.mock.calls[0]![0]).toEqual({ cycle: 2, parts: ['weights'] });
    const alive = store.getState().results!.cycles[1]!.layers.map((l) => l.alive);
    expect(store.getState().inspected[2]!.weights!.layers.map((l) => l.alive)).toEqual(alive);

    // Another state: asked for; the masks view opens: only masks are asked for then.
    store.getState().chooseInspectCycle(0);
    await vi.waitFor(() => expect(store.getState().inspected[0]?.weights).toBeDefined());
    store.getState().setInspectOpen('masks', true);
    await vi.waitFor(() => expect(store.getState().inspected[0]?.masks).toBeDefined());
    expect(inspect.mock.calls.at(-1)![0]).toEqual({ cycle: 0, parts: ['masks'] });
    const calls = inspect.mock.calls.length;
    // Back to cycle 2: its histograms are kept, only its masks are new.
    store.getState().chooseInspectCycle(2);
    await vi.waitFor(() => expect(store.getState().inspected[2]?.masks).toBeDefined());
    expect(inspect.mock.calls.length).toBe(calls + 1);
    expect(inspect.mock.calls.at(-1)![0]).toEqual({ cycle: 2, parts: ['masks'] });

    // Sensitivity of the shown state ends in the results; a reset forgets the summaries.
    await store.getState().runSensitivity();
    expect(store.getState().sensitivityRun).toBeNull();
    expect(store.getState().results!.sensitivity!.map((r) => r.cycle)).toEqual([2]);
    await store.getState().reset();
    expect(store.getState().inspected).toEqual({});
    client.dispose();
  });

  it('holds the criterion preview while a command trains, and asks for it once the run ends', async () => {
    const client = testClient();
    const inspect = vi.spyOn(client, 'inspect');
    const store = createAppStore(client, tinyConfig({ cycles: 3 }));
    store.getState().setInspectOpen('weights', true);
    store.getState().setInspectOpen('preview', true);
    const run = store.getState().run('runAll');
    expect(previewDeferred(store.getState())).toBe(true);
    await run;
    expect(previewDeferred(store.getState())).toBe(false);
    await vi.waitFor(() => expect(store.getState().inspected[3]?.preview).toBeDefined());
    const asked = inspect.mock.calls.map((c) => c[0]);
    // During the run: states 0, 1 and 2 shown live with their histograms, never a preview.
    const previews = asked.filter((r) => r.parts.includes('preview'));
    expect(previews).toEqual([{ cycle: 3, parts: ['preview'] }]);
    expect(asked.filter((r) => r.parts.includes('weights')).length).toBeGreaterThanOrEqual(2);
    client.dispose();
  });
});
