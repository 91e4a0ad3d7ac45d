import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../schema/config';
import { tinyConfig } from '../test/fixtures';
import { testClient, testClientAcrossPort } from '../test/in-process';
import { asStoredV0, MISSING_KEY, storedRunV0 } from '../test/stored-run-v0';
import { encodeResults } from './results-link';
import { memoryArchive } from './run-archive';
import { PRESETS, REFERENCE_RUN_SECONDS, presetById, presetConfig, presetSeconds } from './presets';
import {
  compareLabels,
  differenceWords,
  differingKeys,
  runOutcome,
  runSummary,
  type LabelledRun,
} from './run-labels';
import { liveRunId } from './runs-slice';
import { lrScheduleView, shownResults } from './selectors';
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

let started = 0;
/** A listed run of `config`, as far as the labels read it (its settings, source, start, name). */
function listed(config: ExperimentConfig, extra: Partial<LabelledRun> = {}): LabelledRun {
  started += 1;
  const startedAt = new Date(Date.UTC(2024, 4, 1, 10, 0, started)).toISOString();
  return { source: 'imported', results: { config, environment: { startedAt } }, ...extra };
}

describe('run labels', () => {
  it('name only what differs between compared runs, in words', () => {
    const a = tinyConfig();
    const b = tinyConfig({ criterion: 'lamp', targetSparsity: 0.9 });
    expect(differingKeys([a, b])).toEqual(['targetSparsity', 'criterion']);
    expect(differenceWords(b, differingKeys([a, b]))).toBe('90% sparsity, LAMP');
    expect(differenceWords(a, differingKeys([a, b]))).toBe('75% sparsity, Global magnitude');
  });

  it("label every guided experiment's runs by what sets them apart", () => {
    const labels = (id: string) =>
      compareLabels(presetById(id)!.runs.map((r) => listed(presetConfig(r.settings))));
    expect(labels('ft-vs-slr')).toEqual(['FT', 'SLR']);
    expect(labels('global-vs-uniform')).toEqual(['Global magnitude', 'Uniform']);
    // Retraining 0 epochs has no schedule: the schedule is no difference.
    expect(labels('retrain-epochs')).toEqual([
      '0 retraining epochs',
      '1 retraining epoch',
      '2 retraining epochs',
    ]);
    expect(labels('imp-vs-one-shot')).toEqual([
      '5 cycles, 1 retraining epoch',
      'one-shot, 5 retraining epochs',
    ]);
    expect(labels('rewinding')).toEqual(['LRW, rewind to init', 'SLR, no rewinding']);
    expect(labels('random-control')).toEqual(['Global magnitude', 'Random']);
    for (const preset of PRESETS) expect(new Set(labels(preset.id)).size).toBe(preset.runs.length);
  });

  it('never say "same settings" alone: one run is summarised, twins say where and when they ran, a name wins', () => {
    const one = listed(tinyConfig());
    expect(compareLabels([one])).toEqual(['lenet300 · global · 75% · slr']);
    const twins = compareLabels([one, listed(tinyConfig(), { source: 'shared link' })]);
    expect(twins[0]).toMatch(/^same settings \(imported, \d\d:\d\d:\d\d\)$/);
    expect(twins[1]).toMatch(/^same settings \(shared link, /);
    const named = listed(tinyConfig({ retrainSchedule: 'ft' }), { name: 'Ada’s FT run' });
    expect(compareLabels([one, named])).toEqual(['SLR', 'Ada’s FT run']);
  });

  it('do not give a GMP run a rewind or schedule it does not have', () => {
    const gmp = tinyConfig({ regime: 'gmp', rewind: 'init', retrainSchedule: 'ft' });
    const imp = tinyConfig({ rewind: 'none' });
    // Only IMP rewinds: the two rewind settings are no difference between these runs.
    expect(differingKeys([gmp, imp])).toEqual(['regime']);
    expect(compareLabels([listed(gmp), listed(imp)])).toEqual(['GMP', 'IMP']);
    const rewound = tinyConfig({ rewind: 'init' });
    expect(compareLabels([listed(gmp), listed(imp), listed(rewound)])).toEqual([
      'GMP',
      'IMP, no rewinding',
      'IMP, rewind to init',
    ]);
    expect(runSummary({ config: gmp })).toBe('lenet300 · global · 75% · GMP');
  });

  it('summarise a run', async () => {
    const store = createAppStore(testClient(), tinyConfig({ cycles: 1, rewind: 'init' }));
    await store.getState().run('trainDense');
    expect(runSummary(store.getState().results!)).toBe(
      'lenet300 · global · 75% · slr · rewind init',
    );
  });
});

describe('guided experiments', () => {
  it('run every run across the worker protocol (events on their own port), pin them and record them', async () => {
    // Comlink over a MessageChannel, as in the app: the reply to runAll may overtake the final
    // status event. Before, the preset loop then saw the first run as not done and stopped.
    const client = testClientAcrossPort();
    const store = createAppStore(client, tinyConfig({ cycles: 1 }));
    store.getState().choosePreset('ft-vs-slr');
    await store.getState().runPreset(tinyConfig({ cycles: 1 }));
    const { preset, status, runs } = store.getState();
    expect(status).toEqual({ stage: 'retrained', cycle: 1, cycles: 1, done: true });
    expect(preset).toMatchObject({ id: 'ft-vs-slr', done: 2, running: false });
    const pinned = runs.filter((r) => r.pinned);
    expect(pinned.map((r) => r.results.config.retrainSchedule).sort()).toEqual(['ft', 'slr']);
    expect(preset!.runIds).toEqual(
      ['ft', 'slr'].map((s) => pinned.find((r) => r.results.config.retrainSchedule === s)!.id),
    );
    expect(pinned.every((r) => runOutcome(r.results).complete)).toBe(true);
    client.dispose();
  });

  it('have a quick variant: the same runs on the tiny synthetic data', () => {
    for (const preset of PRESETS) {
      for (const { settings } of preset.runs) {
        const full = presetConfig(settings);
        const quick = presetConfig(settings, undefined, { quick: true });
        expect(full.dataset).toBe('fashion-mnist');
        expect(full.repeats).toBe(1);
        expect(quick).toEqual({ ...full, dataset: 'synthetic' });
        expect(presetConfig(settings, undefined, { seeds: 3 })).toEqual({ ...full, repeats: 3 });
      }
    }
    // Two runs of the defaults' work (98% costs what 90% does): twice the reference minute.
    const ftVsSlr = presetById('ft-vs-slr')!;
    expect(presetSeconds(ftVsSlr)).toBeCloseTo(2 * REFERENCE_RUN_SECONDS, 6);
    expect(presetSeconds(ftVsSlr, 3)).toBeCloseTo(6 * REFERENCE_RUN_SECONDS, 6);
    const store = createAppStore(testClient(), tinyConfig());
    store.getState().choosePreset('ft-vs-slr');
    store.getState().setPresetQuick(true);
    store.getState().choosePreset('rewinding'); // the choice stays with the next experiment
    expect(store.getState().preset).toMatchObject({ id: 'rewinding', quick: true });
  });
});

describe('opening a listed run', () => {
  it('shows its results in the main view, read only, until going back to the live run', async () => {
    const store = createAppStore(testClient(), tinyConfig({ cycles: 1 }));
    await store.getState().run('runAll');
    await flush();
    const live = store.getState().results!;
    const other = createAppStore(testClient(), tinyConfig({ cycles: 2, retrainSchedule: 'ft' }));
    await other.getState().run('runAll');
    const theirs = other.getState().results!;
    store.getState().importResultsFile('theirs.json', JSON.stringify(theirs));
    const imported = store.getState().runs.find((r) => r.source === 'imported')!;

    expect(shownResults(store.getState())).toBe(live);
    store.getState().openRun(imported.id);
    expect(store.getState().openedRunId).toBe(imported.id);
    expect(shownResults(store.getState())).toEqual(theirs);
    // The learning-rate chart shows the opened run's last recorded rates.
    const view = lrScheduleView(store.getState())!;
    expect(view).toMatchObject({ cycle: 2, preview: false });
    expect(view.points.map((p) => p.lr)).toEqual(theirs.cycles[1]!.lrSchedule);
    expect(store.getState().results).toBe(live); // the live run is untouched

    store.getState().openRun(null);
    expect(shownResults(store.getState())).toBe(live);
    store.getState().openRun('no such run');
    expect(store.getState().openedRunId).toBeNull();
    // Removing the opened run, or running a command, shows the live experiment again.
    store.getState().openRun(imported.id);
    store.getState().removeRun(imported.id);
    expect(store.getState().openedRunId).toBeNull();
    store.getState().openRun(liveRunId(live));
    await store.getState().reset();
    expect(store.getState().openedRunId).toBeNull();
  });

  it('a results link opens the shared run in the main view', async () => {
    const other = createAppStore(testClient(), tinyConfig({ cycles: 2, seed: 5 }));
    await other.getState().run('runAll');
    const theirs = other.getState().results!;
    const store = createAppStore(testClient(), tinyConfig());
    const run = await store.getState().openSharedRun(await encodeResults(theirs));
    expect(run).toMatchObject({ source: 'shared link', pinned: true });
    expect(store.getState().openedRunId).toBe(run!.id);
    expect(shownResults(store.getState())).toEqual(theirs);
    expect(store.getState().results).not.toEqual(theirs);
    expect(store.getState().runsNotice?.message).toMatch(/^A shared run is shown above, read only/);
  });
});

describe('naming runs', () => {
  it('keeps a name with the run as it trains on, in the archive, and takes it away when emptied', async () => {
    const archive = memoryArchive();
    const store = createAppStore(testClient(), tinyConfig({ cycles: 2 }), [], archive);
    await store.getState().run('stepCycle'); // dense training
    const id = store.getState().runs[0]!.id;
    store.getState().renameRun(id, '  baseline  ');
    expect(store.getState().runs[0]!.name).toBe('baseline');
    await store.getState().run('runAll'); // results and checkpoints rewrite the run
    await flush();
    expect(store.getState().runs[0]).toMatchObject({ id, name: 'baseline' });
    expect(runOutcome(store.getState().runs[0]!.results).complete).toBe(true);
    expect((await archive.list()).runs[0]).toMatchObject({ id, name: 'baseline' });
    store.getState().renameRun(id, ' ');
    await flush();
    expect('name' in store.getState().runs[0]!).toBe(false);
    expect('name' in (await archive.list()).runs[0]!).toBe(false);
  });
});
