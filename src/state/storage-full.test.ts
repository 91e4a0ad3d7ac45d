import { describe, expect, it } from 'vitest';
import { tinyConfig } from '../test/fixtures';
import { testClient } from '../test/in-process';
import { memoryArchive, type RunArchive } from './run-archive';
import { runOutcome } from './run-labels';
import { createAppStore } from './store';

const flush = () => new Promise((r) => setTimeout(r, 0));
const FULL =
  'This run could not be saved in this browser: storage is full. Remove old runs to make room.';

/** An archive over `inner` whose writes are refused as IndexedDB refuses them when full. */
function fullArchive(inner: RunArchive) {
  const state = { full: true, refused: 0 };
  const archive: RunArchive = {
    list: () => inner.list(),
    put: (run) => {
      if (!state.full) return inner.put(run);
      state.refused += 1;
      return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    },
    remove: async (id) => {
      await inner.remove(id);
      state.full = false; // removing an old run made room
    },
  };
  return { archive, state };
}

describe('storage full', () => {
  it('the run goes on, the list says what was not saved, nothing saved is lost, and removing an old run makes room', async () => {
    // An earlier page saved one finished run.
    const inner = memoryArchive();
    const before = createAppStore(testClient(), tinyConfig({ cycles: 1 }), [], inner);
    await before.getState().run('runAll');
    await flush();
    const [old] = (await inner.list()).runs;
    expect(old).toBeDefined();

    const { archive, state } = fullArchive(inner);
    const store = createAppStore(testClient(), tinyConfig({ cycles: 2 }), [], archive);
    await flush();
    expect(store.getState().runs.map((r) => r.id)).toEqual([old!.id]);
    await store.getState().run('runAll');
    await flush();

    // The live run finished regardless, with no error, and is listed.
    expect(store.getState().error).toBeNull();
    expect(store.getState().status?.done).toBe(true);
    const live = store.getState().runs.find((r) => r.id !== old!.id)!;
    expect(runOutcome(live.results)).toMatchObject({ complete: true, cyclesDone: 2 });
    expect(state.refused).toBeGreaterThan(0);
    expect(store.getState().runsNotice).toEqual({ kind: 'error', message: FULL });
    // What was saved before is as it was.
    expect(await inner.list()).toEqual({ runs: [old], damaged: [] });

    // Remove the old run: the finished one is written in the room it leaves.
    store.getState().removeRun(old!.id);
    await flush();
    await flush();
    const saved = (await inner.list()).runs;
    expect(saved.map((r) => r.id)).toEqual([live.id]);
    expect(runOutcome(saved[0]!.results)).toMatchObject({ complete: true, cyclesDone: 2 });
    expect(store.getState().runsNotice).toBeNull();
  });

  it('names an imported run that could not be saved, and another refusal by its reason', async () => {
    const inner = memoryArchive();
    const source = createAppStore(testClient(), tinyConfig({ cycles: 1 }), [], inner);
    await source.getState().run('runAll');
    await flush();
    const results = source.getState().results!;

    const { archive } = fullArchive(memoryArchive());
    const store = createAppStore(testClient(), tinyConfig(), [], archive);
    store.getState().importResultsFile('run.json', JSON.stringify(results));
    await flush();
    await flush();
    expect(store.getState().runs).toHaveLength(1); // listed for this page all the same
    expect(store.getState().runsNotice?.message).toBe(
      'The imported run “run.json” could not be saved in this browser: storage is full. ' +
        'Remove old runs to make room.',
    );

    const blocked: RunArchive = {
      ...memoryArchive(),
      put: () => Promise.reject(new DOMException('The database is closing.', 'InvalidStateError')),
    };
    const other = createAppStore(testClient(), tinyConfig(), [], blocked);
    other.getState().importResultsFile('run.json', JSON.stringify(results));
    await flush();
    await flush();
    expect(other.getState().runsNotice?.message).toBe(
      'The imported run “run.json” could not be saved in this browser: the browser refused to ' +
        'store it (InvalidStateError: The database is closing.).',
    );
  });
});
