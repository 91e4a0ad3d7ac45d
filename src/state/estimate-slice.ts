/**
 * The time guard-rail: the training rate measured on this machine for the settings' model and
 * batch (asked of the engine when it is idle), the running command's own pace, and the two
 * selectors the run controls show — how long Run all would take, and how long is left. The
 * maths is src/core/run-estimate.ts.
 */
import type { StateCreator } from 'zustand';
import { DATASET_REGISTRY } from '../core/datasets';
import { BN_RECALIBRATION_BATCHES, MODEL_REGISTRY } from '../core/models';
import {
  LONG_RUN_SECONDS,
  formatDuration,
  remainingSeconds,
  remainingWork,
  workSeconds,
  type RunShape,
} from '../core/run-estimate';
import type { ExperimentConfig } from '../schema/config';
import type { EngineClient } from '../worker/engine-client';
import type { BackendInfo, TrainingRate } from '../worker/protocol';
import type { AppState, AppStore } from './store';

/** The running command's pace: the work left (iteration-equivalents) at its start and now. */
export interface Pace {
  startAt: number;
  startWork: number;
  nowAt: number;
  nowWork: number;
}

export interface EstimateSlice {
  /** Measured training rates, by rateKey. */
  trainingRates: Record<string, TrainingRate>;
  /** The rateKey being measured now. */
  ratePending: string | null;
  /** The running command's pace since its first training progress (null when idle or paused). */
  pace: Pace | null;
  /** Asks the engine for the rate of the settings' model and batch, unless known or busy. */
  measureTrainingRate(): Promise<void>;
  /** Notes the work left at `nowMs` (performance.now()) while a command runs. */
  notePace(nowMs: number): void;
}

/** Rates belong to a backend, its threads, a model and a batch size. */
export const rateKey = (
  backend: Pick<BackendInfo, 'backend' | 'threads'>,
  model: string,
  batch: number,
) => `${backend.backend}:${backend.threads ?? 1}:${model}:${batch}`;

/** The shape of the work of `config` (core/run-estimate.ts). */
export function runShape(
  config: ExperimentConfig,
  /** The set's own counts, where it is one of the user's kept sets (images: any size). */
  counts?: { train: number; test: number },
): RunShape {
  const data = counts
    ? { trainCount: counts.train, testCount: counts.test }
    : DATASET_REGISTRY[config.dataset];
  return {
    regime: config.regime,
    denseEpochs: config.denseEpochs,
    cycles: config.cycles,
    retrainEpochs: config.retrainEpochs,
    batchSize: config.batchSize,
    bnRecalibration: config.bnRecalibration,
    rewind: config.rewind,
    trainCount: data.trainCount,
    testCount: data.testCount,
    batchNorm: MODEL_REGISTRY[config.model].batchNorm,
    recalibrationBatches: BN_RECALIBRATION_BATCHES,
  };
}

const rateFor = (state: AppState, config: ExperimentConfig): TrainingRate | undefined =>
  state.backend
    ? state.trainingRates[rateKey(state.backend, config.model, config.batchSize)]
    : undefined;

/** Quicker choices to name when a run would be long. */
function quicker(config: ExperimentConfig): string {
  const choices: string[] = [];
  if (config.model !== 'lenet300' && config.model !== 'lenet5') choices.push('LeNet-5');
  if (config.dataset !== 'synthetic') choices.push('the synthetic data set');
  if (choices.length === 0) choices.push('fewer epochs or cycles');
  return `long: try ${choices.join(' or ')}`;
}

export interface RunEstimate {
  /** "about 40 s", or "estimating…" until the rate is measured. */
  text: string;
  seconds: number | null;
  /** Words for a long run ("long: try LeNet-5 or the synthetic data set"), else null. */
  warning: string | null;
}

/** The image counts of `config`'s data set where it is one the user opened and this browser keeps. */
function keptCounts(state: AppState, config: ExperimentConfig) {
  return state.userData.find((d) => d.id === config.dataset);
}

/**
 * How long Run all would take from here with the settings on screen: what is left of the run
 * (all of it when the settings changed since it was set up) at the measured rate. Null when
 * the run is done.
 */
export function runAllEstimate(state: AppState): RunEstimate | null {
  const { config, status } = state;
  const fresh = state.configDirty || !status;
  if (!fresh && status.done) return null;
  const rate = rateFor(state, config);
  if (!rate) return { text: 'estimating…', seconds: null, warning: null };
  const position = fresh ? { stage: 'untrained' as const, cycle: 0 } : status;
  const shape = runShape(config, keptCounts(state, config));
  // With repeats, each further seed is a whole run again.
  const untrained = { stage: 'untrained' as const, cycle: 0 };
  const work =
    remainingWork(shape, position) + (config.repeats - 1) * remainingWork(shape, untrained);
  const seconds = workSeconds(work, config.batchSize, rate.samplesPerSecond);
  return {
    text: formatDuration(seconds),
    seconds,
    warning: seconds > LONG_RUN_SECONDS ? quicker(config) : null,
  };
}

/** Below this much time measured, the pace is too young and the measured rate is used. */
const PACE_MIN_MS = 2000;

/**
 * How long the running command (Run all, Step cycle, ...) has left: the work left at the pace
 * it has kept since its start, or at the measured rate while that pace is young. Null when
 * idle, paused or unknown.
 */
export function timeLeft(state: AppState): number | null {
  if (!state.busy || state.paused || !state.pace) return null;
  const { startAt, startWork, nowAt, nowWork } = state.pace;
  const config = state.results?.config ?? state.config;
  if (nowAt - startAt >= PACE_MIN_MS) {
    const seconds = remainingSeconds(startWork, nowWork, (nowAt - startAt) / 1000);
    if (seconds !== null) return seconds;
  }
  const rate = rateFor(state, config);
  return rate ? workSeconds(nowWork, config.batchSize, rate.samplesPerSecond) : null;
}

/** Work left by the command running now, or null when it has no training progress yet. */
function workNow(state: AppState): number | null {
  const { status, progress } = state;
  if (!status || !progress || progress.phase === 'load') return null;
  const config = state.results?.config ?? state.config;
  const shape = runShape(config, keptCounts(state, config));
  const seedsAfter = state.repeat ? state.repeat.count - state.repeat.index - 1 : 0;
  return (
    remainingWork(shape, status, progress) +
    seedsAfter * remainingWork(shape, { stage: 'untrained', cycle: 0 })
  );
}

export const createEstimateSlice =
  (client: EngineClient): StateCreator<AppState, [], [], EstimateSlice> =>
  (set, get) => ({
    trainingRates: {},
    ratePending: null,
    pace: null,

    measureTrainingRate: async () => {
      const { backend, busy, config } = get();
      if (!backend || busy || backend.backend === 'none') return;
      const key = rateKey(backend, config.model, config.batchSize);
      if (get().trainingRates[key] || get().ratePending === key) return;
      set({ ratePending: key });
      try {
        const rate = await client.trainingRate({ model: config.model, batch: config.batchSize });
        if (rate) {
          set((s) => ({
            trainingRates: {
              ...s.trainingRates,
              [rateKey(rate, rate.model, rate.batch)]: rate,
            },
          }));
        }
      } catch {
        // No estimate; the run itself is unaffected.
      } finally {
        set({ ratePending: null });
      }
    },

    notePace: (nowMs) => {
      const state = get();
      if (!state.busy || state.paused) {
        if (state.pace) set({ pace: null });
        return;
      }
      const work = workNow(state);
      if (work === null) return;
      const pace = state.pace;
      set({
        pace: pace
          ? { ...pace, nowAt: nowMs, nowWork: work }
          : { startAt: nowMs, startWork: work, nowAt: nowMs, nowWork: work },
      });
    },
  });

/**
 * Keeps the estimate current: notes the pace on each progress, status or pause change, and
 * asks for the rate when the engine is idle and the backend, model or batch size changed.
 */
export function watchEstimate(store: AppStore, now: () => number = () => performance.now()) {
  store.subscribe((state, previous) => {
    if (
      state.progress !== previous.progress ||
      state.status !== previous.status ||
      state.busy !== previous.busy ||
      state.paused !== previous.paused
    ) {
      state.notePace(now());
    }
    if (
      state.backend !== previous.backend ||
      state.busy !== previous.busy ||
      state.config.model !== previous.config.model ||
      state.config.batchSize !== previous.config.batchSize
    ) {
      void state.measureTrainingRate();
    }
  });
}
