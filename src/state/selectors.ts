/** Derived views of the store for the UI: what each control may do, and chart series. */
import { configSchema, formatIssues, type ExperimentConfig } from '../schema/config';
import type { Results } from '../schema/results';
import type { AppState } from './store';

const issuesCache = new WeakMap<ExperimentConfig, string[]>();

/** Problems between fields (e.g. rewinding to an epoch after the dense run), as messages. */
export function configIssues(config: ExperimentConfig): string[] {
  let issues = issuesCache.get(config);
  if (!issues) {
    const result = configSchema.safeParse(config);
    issues = result.success ? [] : formatIssues(result.error);
    issuesCache.set(config, issues);
  }
  return issues;
}

export interface Availability {
  trainDense: boolean;
  prune: boolean;
  retrain: boolean;
  stepCycle: boolean;
  runAll: boolean;
  pause: boolean;
  reset: boolean;
  editConfig: boolean;
  download: boolean;
}

export function availability(state: AppState): Availability {
  const idle = state.busy === null;
  const canRun =
    idle && state.invalidFields.length === 0 && configIssues(state.config).length === 0;
  const status = state.status;
  const stage = status?.stage ?? 'untrained';
  const done = status?.done ?? false;
  const running = state.busy !== null && state.busy !== 'configure' && state.busy !== 'reset';
  return {
    trainDense: canRun && stage === 'untrained',
    prune: idle && (stage === 'trained' || stage === 'retrained') && !done,
    retrain: idle && stage === 'pruned',
    stepCycle: canRun && !done,
    runAll: canRun && !done,
    pause: running,
    reset: running || (idle && stage !== 'untrained'),
    // Settings stay editable while the engine sets up; a change is applied before the next run.
    editConfig: (idle || state.busy === 'configure') && stage === 'untrained' && !state.view.lock,
    download: Boolean(state.results?.dense),
  };
}

export interface AccuracyPoint {
  sparsity: number;
  afterPrune?: number;
  afterRetrain?: number;
  /** GMP: the accuracy at the end of each epoch of the pruning run. */
  duringTraining?: number;
}

/**
 * Test accuracy (%) vs sparsity (%): the dense point (once dense training has finished), then
 * each cycle after prune / retrain.
 */
export function accuracyVsSparsity(results: Results | null, denseDone: boolean): AccuracyPoint[] {
  if (!results?.dense || !denseDone) return [];
  if (results.gmp) {
    return results.dense.epochs.map((e) => ({
      sparsity: 100 * e.sparsity,
      duringTraining: 100 * e.testAccuracy,
    }));
  }
  const points: AccuracyPoint[] = [
    { sparsity: 0, afterRetrain: 100 * results.dense.final.testAccuracy },
  ];
  for (const c of results.cycles) {
    points.push({
      sparsity: 100 * c.sparsity,
      afterPrune: 100 * c.afterPrune.testAccuracy,
      ...(c.afterRetrain ? { afterRetrain: 100 * c.afterRetrain.testAccuracy } : {}),
    });
  }
  return points;
}

/** Per-layer sparsity (%) per cycle: one row per cycle (0 = dense), one key per layer. */
export function layerSparsityRows(results: Results | null): Record<string, number | string>[] {
  if (!results) return [];
  if (results.gmp) {
    const names = results.model.layers.map((l) => l.name);
    return results.gmp.pruneSteps.map((step) => {
      const row: Record<string, number | string> = { cycle: `t=${step.iteration}` };
      names.forEach((name, l) => (row[name] = 100 * (step.layers[l] ?? 0)));
      return row;
    });
  }
  const dense: Record<string, number | string> = { cycle: 'dense' };
  for (const layer of results.model.layers) dense[layer.name] = 0;
  return [
    dense,
    ...results.cycles.map((c) => {
      const row: Record<string, number | string> = { cycle: `cycle ${c.cycle}` };
      for (const layer of c.layers) row[layer.name] = 100 * layer.sparsity;
      return row;
    }),
  ];
}

export interface EpochPoint {
  globalEpoch: number;
  label: string;
  trainLoss: number;
  testAccuracy: number;
}

/** Training loss and test accuracy (%) for every epoch of the run, in order. */
export function epochCurve(results: Results | null): EpochPoint[] {
  if (!results?.dense) return [];
  const records = [...results.dense.epochs, ...results.cycles.flatMap((c) => c.epochs)];
  return records.map((r) => ({
    globalEpoch: r.globalEpoch,
    label: r.phase === 'dense' ? `dense ${r.epoch}` : `c${r.cycle} e${r.epoch}`,
    trainLoss: r.trainLoss,
    testAccuracy: 100 * r.testAccuracy,
  }));
}
