import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../schema/config';
import { tinyConfig } from '../test/fixtures';
import { testClient } from '../test/in-process';
import { asStoredV0, MISSING_KEY, storedRunV0 } from '../test/stored-run-v0';
import { memoryArchive } from './run-archive';
import { differenceLabel, differingKeys, runOutcome, runSummary } from './run-labels';
import { createAppStore } from './store';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('run list', () => {
  it('saves the live run as it goes, and a new page over the same archive shows it', async () => {
    const archive = memoryArchive();
    const store = createAppStore(testClient(), tinyConfig({ cycles: 1 }), [], archive);
    await store.getState().run('trainDense');
    await flush();
    let [run] = store.getState().runs;
    expect(run).toMatchObject({ source: 'this browser', pinned: false });
    expect(runOutcome(run!.results)).toMatchObject({ complete: false, cyclesDone: 0 });
    // "Reload" mid-run: the interrupted run is in the archive.
    const reloaded = createAppStore(testClient(), tinyConfig(), [], archive);
    await flush();
    expect(reloaded.getState().runs.map((r) => r.id)).toEqual([run!.id]);
    await store.getState().run('runAll');
    await flush();
    [run] = store.getState().runs;
    expect(store.getState().runs).toHaveLength(1); // the same run, updated
    expect(runOutcome(run!.results)).toMatchObject({ complete: true, cyclesDone: 1 });
    expect((await archive.list()).runs[0]!.results.cycles).toHaveLength(1);
    store.getState().togglePin(run!.id);
    expect(store.getState().runs[0]!.pinned).toBe(true);
    await flush(); // archive writes happen in a task of their own
    expect((await archive.list()).runs[0]!.pinned).toBe(true);
    store.getState().removeRun(run!.id);
    await flush();
    expect(store.getState().runs).toEqual([]);
    expect(await archive.list()).toEqual({ runs: [], damaged: [] });
  });

  it('imports a results file, and names the problem with a wrong one', async () => {
    const store = createAppStore(testClient(), tinyConfig({ cycles: 1 }));
    await store.getState().run('runAll');
    await flush();
    const results = store.getState().results!;
    store.getState().importResultsFile('notes.txt', 'hello');
    expect(store.getState().runsNotice).toEqual({
      kind: 'error',
      message: '“notes.txt” could not be read: it is not JSON.',
    });
    store.getState().importResultsFile('config.json', JSON.stringify(tinyConfig()));
    expect(store.getState().runsNotice?.message).toMatch(
      /^“config\.json” is not a Pruning Lab results file \(/,
    );
    expect(store.getState().runs).toHaveLength(1); // nothing added, nothing lost
    store.getState().importResultsFile('run.json', JSON.stringify(results));
    expect(store.getState().runs).toHaveLength(2);
    expect(store.getState().runs[0]).toMatchObject({
      source: 'imported',
      origin: 'run.json',
      pinned: true,
    });
  });

  it('re-runs a saved run with its own settings', async () => {
    const store = createAppStore(testClient(), tinyConfig({ cycles: 1 }));
    await store.getState().run('runAll');
    await flush();
    const first = store.getState().runs[0]!;
    store.getState().setConfig({ seed: 99 });
    await store.getState().rerun(first.id);
    await flush();
    expect(store.getState().config.seed).toBe(first.results.config.seed);
    const [second] = store.getState().runs;
    expect(second!.id).not.toBe(first.id);
    expect(second!.results.cycles.map((c) => c.afterRetrain)).toEqual(
      first.results.cycles.map((c) => c.afterRetrain),
    );
  });
});

describe('resuming', () => {
  it('a run interrupted by a reload continues from its last cycle to the same numbers', async () => {
    const config = tinyConfig({ cycles: 3, targetSparsity: 0.875 });
    const whole = createAppStore(testClient(), config);
    await whole.getState().run('runAll');
    const expected = whole.getState().results!;

    const archive = memoryArchive();
    const first = createAppStore(testClient(), config, [], archive);
    await first.getState().run('trainDense');
    await first.getState().run('stepCycle');
    await flush();
    const [saved] = (await archive.list()).runs;
    expect(saved!.checkpoint).toMatchObject({ stage: 'retrained', cycle: 1 });
    // The page is reloaded: a new store over the same archive.
    const second = createAppStore(testClient(), tinyConfig(), [], archive);
    await flush();
    await second.getState().continueRun(saved!.id);
    await flush();
    expect(second.getState().status?.done).toBe(true);
    const results = second.getState().results!;
    expect(results.cycles.map((c) => [c.sparsity, c.afterRetrain])).toEqual(
      expected.cycles.map((c) => [c.sparsity, c.afterRetrain]),
    );
    expect(second.getState().config).toEqual(config);
    // The same entry, now finished and without its checkpoint.
    const { runs } = await archive.list();
    expect(runs.map((r) => r.id)).toEqual([saved!.id]);
    expect(runOutcome(runs[0]!.results).complete).toBe(true);
    expect(runs[0]!.checkpoint).toBeUndefined();
  });
});

describe('stored runs of older versions and damaged records', () => {
  it('a run saved by the unversioned format, before a setting existed, resumes to the same numbers', async () => {
    const config = tinyConfig({ cycles: 2, rewind: 'init' });
    const whole = createAppStore(testClient(), config);
    await whole.getState().run('runAll');
    const expected = whole.getState().results!;

    const first = createAppStore(testClient(), config);
    await first.getState().run('trainDense');
    await first.getState().run('stepCycle');
    const live = first.getState().runs[0]!;
    expect(live.checkpoint).toMatchObject({ stage: 'retrained', cycle: 1 });
    // What the archive held for it before stored runs had a version: no version, the draws a
    // tuple, and (an older save) no bnRecalibration in its settings.
    const old = asStoredV0(live);
    expect(old.checkpoint!.draws).toHaveLength(3);
    expect(MISSING_KEY in old.results.config).toBe(false);
    const archive = memoryArchive([[old.id, old]]);

    const second = createAppStore(testClient(), tinyConfig(), [], archive);
    await flush();
    expect(second.getState().damagedRuns).toEqual([]);
    expect(second.getState().runs.map((r) => r.id)).toEqual([old.id]);
    await second.getState().continueRun(old.id);
    await flush();
    expect(second.getState().error).toBeNull();
    expect(second.getState().status?.done).toBe(true);
    expect(second.getState().results!.cycles.map((c) => [c.sparsity, c.afterRetrain])).toEqual(
      expected.cycles.map((c) => [c.sparsity, c.afterRetrain]),
    );
    expect(second.getState().config).toEqual(config);
    // Written back in the current format, finished.
    const { runs, damaged } = await archive.list();
    expect(damaged).toEqual([]);
    expect(runs.map((r) => [r.id, r.checkpoint])).toEqual([[old.id, undefined]]);
  });

  it('lists records it cannot read as damaged, with why, and removes them', async () => {
    const { key, record } = storedRunV0();
    const archive = memoryArchive([
      [key, record],
      ['run:garbage', 'not a run at all'],
      ['run:no-results', { id: 'run:no-results', source: 'this browser', savedAt: 5 }],
      ['run:wrong-types', { ...(record as object), pinned: 'yes', savedAt: 7 }],
    ]);
    const store = createAppStore(testClient(), tinyConfig(), [], archive);
    await flush();
    expect(store.getState().runs.map((r) => r.id)).toEqual([key]);
    expect(store.getState().damagedRuns).toEqual([
      { id: 'run:garbage', savedAt: null, reason: 'It is not a saved run.' },
      {
        id: 'run:no-results',
        savedAt: 5,
        reason: expect.stringMatching(/^It does not fit the saved-run format \(results: missing/),
      },
      { id: 'run:wrong-types', savedAt: 7, reason: expect.stringMatching(/pinned/) },
    ]);
    store.getState().removeRun('run:garbage');
    await flush();
    expect(store.getState().damagedRuns.map((r) => r.id)).toEqual([
      'run:no-results',
      'run:wrong-types',
    ]);
    expect((await archive.list()).damaged.map((r) => r.id)).toEqual([
      'run:no-results',
      'run:wrong-types',
    ]);
  });

  it('re-runs settings saved before a setting existed (its default filled in)', async () => {
    const store = createAppStore(testClient(), tinyConfig({ cycles: 1 }));
    await store.getState().run('runAll');
    await flush();
    const run = store.getState().runs[0]!;
    const rest = Object.entries(run.results.config).filter(([key]) => key !== MISSING_KEY);
    // Typed as today's settings, as a value read from storage by a cast would be.
    const older: ExperimentConfig = JSON.parse(JSON.stringify(Object.fromEntries(rest)));
    const saved = store.getState().addRun({ ...run.results, config: older }, 'imported');
    await store.getState().rerun(saved.id);
    expect(store.getState().config).toEqual(tinyConfig({ cycles: 1 }));
    expect(store.getState().error).toBeNull();
  });

  it('refuses to re-run settings that do not parse, with a message, changing nothing', async () => {
    const store = createAppStore(testClient(), tinyConfig({ cycles: 1 }));
    await store.getState().run('runAll');
    await flush();
    const run = store.getState().runs[0]!;
    const bad = store
      .getState()
      .addRun({ ...run.results, config: { ...run.results.config, lr: -1 } }, 'imported');
    const before = store.getState();
    await store.getState().rerun(bad.id);
    expect(store.getState().runsNotice).toEqual({
      kind: 'error',
      message: "This run's settings cannot be used again: Learning rate (max) must be more than 0.",
    });
    expect(store.getState().config).toBe(before.config);
    expect(store.getState().results).toBe(before.results);
    expect(store.getState().runs).toBe(before.runs);
  });
});

describe('run labels', () => {
  it('name only what differs between compared runs', () => {
    const a = tinyConfig();
    const b = tinyConfig({ criterion: 'lamp', targetSparsity: 0.9 });
    expect(differingKeys([a, b])).toEqual(['targetSparsity', 'criterion']);
    expect(differenceLabel(b, differingKeys([a, b]))).toBe('targetSparsity 90%, criterion lamp');
    expect(differenceLabel(a, differingKeys([a, a]))).toBe('same settings');
  });

  it('summarise a run', async () => {
    const store = createAppStore(testClient(), tinyConfig({ cycles: 1, rewind: 'init' }));
    await store.getState().run('trainDense');
    expect(runSummary(store.getState().results!)).toBe(
      'lenet300 · global · 75% · slr · rewind init',
    );
  });
});
