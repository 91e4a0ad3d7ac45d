/** Derived views of the store for the UI: what each control may do, and chart series. */
import {
  configIssueList,
  configSchema,
  fieldLabel,
  type ConfigIssue,
  type ExperimentConfig,
} from '../schema/config';
import type { Results, RunResults } from '../schema/results';
import { seedRuns, spread, spreadOf } from '../schema/seed-stats';
import { DATASET_REGISTRY, configImageShape } from '../core/datasets';
import { MODEL_REGISTRY } from '../core/models';
import type { SavedRun } from './run-archive';
import { previewRetrainRates } from './schedule-preview';
import type { AppState } from './store';

const issuesCache = new WeakMap<ExperimentConfig, ConfigIssue[]>();

/**
 * Problems between fields (e.g. rewinding to an epoch after the dense run, overrides that
 * cannot reach the target), each with its setting; other settings are named by their labels.
 */
export function configIssues(config: ExperimentConfig): ConfigIssue[] {
  let issues = issuesCache.get(config);
  if (!issues) {
    const result = configSchema.safeParse(config);
    issues = result.success ? [] : configIssueList(result.error, fieldLabel);
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

/** The listed run opened in the main view (read only), or null: the live experiment shows. */
export function openedRun(state: Pick<AppState, 'openedRunId' | 'runs'>): SavedRun | null {
  if (state.openedRunId === null) return null;
  return state.runs.find((r) => r.id === state.openedRunId) ?? null;
}

/**
 * The results the main charts, the results table and the compression report show: the opened
 * run's, or else the live experiment's.
 */
export function shownResults(
  state: Pick<AppState, 'openedRunId' | 'runs' | 'results'>,
): Results | null {
  return openedRun(state)?.results ?? state.results;
}

/** Whether the shown run has finished dense training (an opened run always has). */
export function shownDenseDone(state: Pick<AppState, 'openedRunId' | 'runs' | 'status'>): boolean {
  return openedRun(state) !== null || (state.status?.stage ?? 'untrained') !== 'untrained';
}

export interface AccuracyPoint {
  sparsity: number;
  afterPrune?: number;
  afterRetrain?: number;
  /** GMP: the accuracy at the end of each epoch of the pruning run. */
  duringTraining?: number;
  /**
   * Over several seeds (`repeats`): the values above are means; how many seeds measured the
   * point, and per measure its ±1 standard deviation band (two seeds or more) and min–max band.
   */
  n?: number;
  afterPruneStd?: [number, number];
  afterPruneRange?: [number, number];
  afterRetrainStd?: [number, number];
  afterRetrainRange?: [number, number];
  duringTrainingStd?: [number, number];
  duringTrainingRange?: [number, number];
}

const MEASURES = ['afterPrune', 'afterRetrain', 'duringTraining'] as const;

/** One seed's points: the dense point (once dense training has finished), then each cycle. */
function runPoints(results: RunResults, denseDone: boolean): AccuracyPoint[] {
  if (!results.dense || !denseDone) return [];
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

/**
 * Test accuracy (%) vs sparsity (%): the dense point (once dense training has finished), then
 * each cycle after prune / retrain. Over several seeds, the k-th point is the mean of the
 * seeds' k-th points (the seeds that have reached it), with its bands; `denseDone` is about
 * the last seed's run (the live one), the others have finished.
 */
export function accuracyVsSparsity(results: Results | null, denseDone: boolean): AccuracyPoint[] {
  if (!results) return [];
  const runs = seedRuns(results);
  const perSeed = runs
    .map((run, i) => runPoints(run, denseDone || i < runs.length - 1))
    .filter((points) => points.length > 0);
  if (runs.length === 1) return perSeed[0] ?? [];
  const length = Math.max(0, ...perSeed.map((p) => p.length));
  return Array.from({ length }, (_, k) => {
    const here = perSeed.flatMap((points) => (points[k] ? [points[k]] : []));
    const point: AccuracyPoint = {
      sparsity: spread(here.map((p) => p.sparsity)).mean,
      n: here.length,
    };
    for (const key of MEASURES) {
      const s = spreadOf(here.map((p) => p[key]));
      if (!s) continue;
      point[key] = s.mean;
      point[`${key}Range`] = [s.min, s.max];
      if (s.std !== null) point[`${key}Std`] = [s.mean - s.std, s.mean + s.std];
    }
    return point;
  });
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

/** A learning-rate curve for the chart: which phase, and its (downsampled) points. */
export interface LrScheduleView {
  /** The retraining cycle whose recorded rates these are; 0 for the preview of the next. */
  cycle: number;
  preview: boolean;
  /** Iterations in the phase. */
  iterations: number;
  points: { iteration: number; lr: number }[];
}

/** At most this many points are drawn; longer phases are sampled evenly (last one kept). */
export const LR_CHART_POINTS = 600;

function chartPoints(rates: ArrayLike<number>): { iteration: number; lr: number }[] {
  const n = rates.length;
  const step = Math.max(1, Math.ceil(n / LR_CHART_POINTS));
  const points: { iteration: number; lr: number }[] = [];
  for (let t = 0; t < n; t += step) points.push({ iteration: t, lr: rates[t]! });
  if (n > 0 && points.at(-1)!.iteration !== n - 1)
    points.push({ iteration: n - 1, lr: rates[n - 1]! });
  return points;
}

const recordedCache = new WeakMap<number[], LrScheduleView>();
/**
 * The last recorded view, kept by content: every results message from the worker is a new
 * copy of the same rates, and a new view each time would redraw the chart at every epoch.
 */
let lastRecorded: { rates: number[]; view: LrScheduleView } | null = null;
const sameRates = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
const previewCache = new WeakMap<ExperimentConfig, LrScheduleView | null>();

/**
 * The retraining phase's learning rate, every iteration: the rates the latest retraining
 * actually used (recorded in the shown results), or, before any, the preview of the next phase
 * computed from the settings by the same pure schedule code the engine runs (so it follows
 * every change of the settings at once). Null when there is no retraining (GMP, 0 epochs), and
 * for an opened run that recorded none.
 */
export function lrScheduleView(
  state: Pick<AppState, 'config' | 'results' | 'openedRunId' | 'runs'>,
): LrScheduleView | null {
  const opened = openedRun(state);
  const results = opened?.results ?? state.results;
  const config = results?.config ?? state.config;
  if (config.regime === 'gmp' || config.retrainEpochs === 0) return null;
  const last = results?.cycles.findLast((c) => c.lrSchedule && c.lrSchedule.length > 0);
  if (last?.lrSchedule) {
    let view = recordedCache.get(last.lrSchedule);
    if (!view) {
      view =
        lastRecorded?.view.cycle === last.cycle && sameRates(lastRecorded.rates, last.lrSchedule)
          ? lastRecorded.view
          : {
              cycle: last.cycle,
              preview: false,
              iterations: last.lrSchedule.length,
              points: chartPoints(last.lrSchedule),
            };
      recordedCache.set(last.lrSchedule, view);
      lastRecorded = { rates: last.lrSchedule, view };
    }
    return view;
  }
  if (opened) return null;
  const settings = state.config;
  if (previewCache.has(settings)) return previewCache.get(settings)!;
  const rates = previewRetrainRates(settings);
  const view = rates && {
    cycle: 0,
    preview: true,
    iterations: rates.length,
    points: chartPoints(rates),
  };
  previewCache.set(settings, view);
  return view;
}

/** The prunable layers of the configured model on its data set: name, kernel shape, weights. */
export function modelLayers(
  config: Pick<ExperimentConfig, 'model' | 'dataset' | 'imageSize' | 'imageChannels'>,
): { name: string; shape: number[]; size: number }[] {
  const data = DATASET_REGISTRY[config.dataset];
  return MODEL_REGISTRY[config.model]
    .layers(configImageShape(config), data.classes)
    .map((l) => ({ ...l, size: l.shape.reduce((a, b) => a * b, 1) }));
}
