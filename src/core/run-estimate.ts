/**
 * How long a run takes: the work left in an experiment, counted in training iterations, and
 * its time from the training throughput measured on this machine. Pure: the UI shows an
 * estimate before a run and the time left during it from these functions.
 *
 * Work is counted in iteration-equivalents: one training iteration (forward + backward + update
 * of one batch of B images) is 1; a forward-only pass (test evaluation, batch-norm
 * recalibration) over n images costs FORWARD_COST · n / B, a forward pass being about a third
 * of a training step (the backward pass costs about twice the forward).
 */
import { iterationsPerEpoch as perEpoch } from './schedules/dense';

/** Cost of a forward-only pass over one image, relative to training on it. */
export const FORWARD_COST = 1 / 3;

/** A run longer than this (seconds) comes with a suggestion of something quicker. */
export const LONG_RUN_SECONDS = 10 * 60;

/** What the work of an experiment depends on (a subset of the experiment config). */
export interface RunShape {
  regime: 'imp' | 'gmp';
  denseEpochs: number;
  cycles: number;
  retrainEpochs: number;
  batchSize: number;
  bnRecalibration: boolean;
  rewind: string;
  /** Training and test images of the data set. */
  trainCount: number;
  testCount: number;
  /** Whether the model has batch norm (recalibration runs only then). */
  batchNorm: boolean;
  /** Batches averaged by batch-norm recalibration. */
  recalibrationBatches: number;
}

/** Where a run stands: the session's stage and last cycle pruned (0 before any). */
export interface RunPosition {
  stage: 'untrained' | 'trained' | 'pruned' | 'retrained';
  cycle: number;
}

/** Where the running phase stands (the engine's progress event). */
export interface PhaseProgress {
  phase: 'load' | 'dense' | 'prune' | 'retrain';
  cycle: number;
  /** Iterations of the phase done, and in all. */
  iteration?: number;
  iterations?: number;
}

/** Iterations per epoch: floor(N / B), at least 1 (the engine's rule). */
export function iterationsPerEpoch(shape: Pick<RunShape, 'trainCount' | 'batchSize'>): number {
  return perEpoch(shape.trainCount, shape.batchSize);
}

/** Forward-only images as iteration-equivalents: FORWARD_COST · images / B. */
const forward = (shape: RunShape, images: number) => (FORWARD_COST * images) / shape.batchSize;

/**
 * Dense training (or the whole GMP run): E_d · floor(N/B) iterations, and a test evaluation
 * after each of its E_d epochs.
 */
export function denseWork(shape: RunShape): number {
  return shape.denseEpochs * (iterationsPerEpoch(shape) + forward(shape, shape.testCount));
}

/**
 * One prune: a test evaluation after it, then with batch-norm recalibration (models with BN)
 * its batches of B images and another evaluation, then with rewinding another evaluation.
 */
export function pruneWork(shape: RunShape): number {
  let images = shape.testCount;
  if (shape.bnRecalibration && shape.batchNorm) {
    images += shape.recalibrationBatches * shape.batchSize + shape.testCount;
  }
  if (shape.rewind !== 'none') images += shape.testCount;
  return forward(shape, images);
}

/** One retraining: E_r · floor(N/B) iterations and an evaluation after each of its epochs. */
export function retrainWork(shape: RunShape): number {
  return shape.retrainEpochs * (iterationsPerEpoch(shape) + forward(shape, shape.testCount));
}

/**
 * The work Run all has left from `position`, in iteration-equivalents: dense training unless
 * done, then each cycle not yet pruned (prune + retrain), and the retraining of a cycle pruned
 * but not retrained. With `progress` of the phase running now (dense or retraining), its
 * iterations done and the evaluations of its finished epochs are taken off.
 */
export function remainingWork(
  shape: RunShape,
  position: RunPosition,
  progress?: PhaseProgress | null,
): number {
  const gmp = shape.regime === 'gmp';
  let work = 0;
  if (position.stage === 'untrained') work += denseWork(shape);
  if (!gmp) {
    if (position.stage === 'pruned') work += retrainWork(shape);
    const pruned = position.stage === 'untrained' ? 0 : position.cycle;
    const left = Math.max(0, shape.cycles - pruned);
    work += left * (pruneWork(shape) + retrainWork(shape));
  }
  const running =
    progress &&
    progress.iteration !== undefined &&
    ((progress.phase === 'dense' && position.stage === 'untrained') ||
      (progress.phase === 'retrain' && position.stage === 'pruned'));
  if (running) {
    const perEpoch = iterationsPerEpoch(shape);
    const done = progress.iteration!;
    const epochsDone = Math.floor(done / perEpoch);
    work -= done + epochsDone * forward(shape, shape.testCount);
  }
  return Math.max(0, work);
}

/** Seconds for `work` iteration-equivalents at `samplesPerSecond` training images a second. */
export function workSeconds(work: number, batchSize: number, samplesPerSecond: number): number {
  return (work * batchSize) / samplesPerSecond;
}

/**
 * Seconds left from the run's own pace: `workNow` left, after `workAtStart` was left
 * `elapsedSeconds` ago, so (workAtStart − workNow) / elapsed iteration-equivalents a second.
 * Null until some work was measured (none done, or no time passed).
 */
export function remainingSeconds(
  workAtStart: number,
  workNow: number,
  elapsedSeconds: number,
): number | null {
  const done = workAtStart - workNow;
  if (done <= 0 || elapsedSeconds <= 0) return null;
  return (workNow * elapsedSeconds) / done;
}

/**
 * A duration in words, rounded as a person would say it: "about 40 s" (to 5 s from 10 s),
 * "about 2 min 30 s" (to 10 s under 10 min), "about 25 min", "about 2 h 10 min" (to 5 min).
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 10) return `about ${Math.max(1, Math.round(s))} s`;
  if (s < 57.5) return `about ${Math.round(s / 5) * 5} s`;
  if (s < 595) {
    const tens = Math.round(s / 10);
    const min = Math.floor(tens / 6);
    const sec = (tens % 6) * 10;
    return sec ? `about ${min} min ${sec} s` : `about ${min} min`;
  }
  if (s < 3600 - 150) return `about ${Math.round(s / 60)} min`;
  const fives = Math.round(s / 300);
  const h = Math.floor(fives / 12);
  const min = (fives % 12) * 5;
  return min ? `about ${h} h ${min} min` : `about ${h} h`;
}
