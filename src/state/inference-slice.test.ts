import { describe, expect, it, vi } from 'vitest';
import { testClient } from '../test/in-process';
import { tinyConfig } from '../test/fixtures';
import { shownInferenceBench } from './inference-slice';
import { createAppStore } from './store';

describe('inference slice over an in-process engine', () => {
  it('measures the shown state on request, keeps it per state, forgets it with the session', async () => {
    const client = testClient();
    const bench = vi.spyOn(client, 'inferenceBench');
    const store = createAppStore(client, tinyConfig());
    await store.getState().run('runAll');
    store.getState().setInferenceOpen(true);
    expect(bench).not.toHaveBeenCalled(); // opening measures nothing: it takes seconds

    await store.getState().measureInference();
    expect(bench).toHaveBeenCalledWith({ cycle: 2 });
    const view = shownInferenceBench(store.getState())!;
    expect(view.cycle).toBe(2);
    expect(view.batches.map((b) => b.batch)).toEqual([1, 128]);
    expect(view.theoreticalSpeedup).toBe(store.getState().results!.cycles[1]!.report.total.speedup);
    expect(store.getState().inferenceRunning).toBeNull();

    store.getState().chooseInspectCycle(1);
    expect(shownInferenceBench(store.getState())).toBeNull(); // not measured yet
    await store.getState().reset();
    store.getState().chooseInspectCycle(null);
    expect(shownInferenceBench(store.getState())).toBeNull();
  });
});
