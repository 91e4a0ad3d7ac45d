/**
 * The dense run's learning-rate schedule (length T_orig): a linear warm-up over the first
 * W = floor(0.1 T_orig) iterations, lr(t) = lrMax (t + 1) / W, then a linear decay from lrMax
 * to lrMin = 0.01 lrMax, reached exactly at the last iteration:
 *   lr(t) = lrMax + (lrMin − lrMax) (t − W) / max(1, T_orig − W − 1).
 */
import type { DenseSchedule } from './types';

/** Fraction of a phase used for warm-up (the dense run's and, in BIMP, each retraining's). */
export const WARMUP_FRACTION = 0.1;
/** lrMin / lrMax of the dense run's linear decay. */
export const DENSE_FINAL_FACTOR = 0.01;

/** Iterations per epoch: floor(N / B) (the partial last batch is dropped), at least 1. */
export function iterationsPerEpoch(trainCount: number, batchSize: number): number {
  return Math.max(1, Math.floor(trainCount / batchSize));
}

/** Warm-up length W = int(0.1 T) of a phase of T iterations. */
export function warmupLength(iterations: number): number {
  return Math.floor(WARMUP_FRACTION * iterations);
}

/** The dense schedule for peak rate lrMax over `epochs` epochs of `perEpoch` iterations. */
export function denseSchedule(lrMax: number, perEpoch: number, epochs: number): DenseSchedule {
  const iterations = perEpoch * epochs;
  return {
    lrMax,
    lrMin: lrMax * DENSE_FINAL_FACTOR,
    iterations,
    warmup: warmupLength(iterations),
    epochs,
  };
}

/** lr(t) of the dense run, t = 0 .. T_orig − 1. */
export function denseLr(schedule: DenseSchedule, t: number): number {
  const { lrMax, lrMin, iterations, warmup: w } = schedule;
  if (t < w) return (lrMax * (t + 1)) / w;
  const u = Math.min(1, Math.max(0, (t - w) / Math.max(1, iterations - w - 1)));
  return lrMax + (lrMin - lrMax) * u;
}

/** Every rate of the dense run, in order (what dense training uses, iteration by iteration). */
export function denseRates(schedule: DenseSchedule): Float64Array {
  return Float64Array.from({ length: schedule.iterations }, (_, t) => denseLr(schedule, t));
}

/** dense'(t): the dense schedule with its warm-up iterations replaced by maxLR (SLR's source). */
export function denseWithoutWarmup(schedule: DenseSchedule, t: number): number {
  return t < schedule.warmup ? schedule.lrMax : denseLr(schedule, t);
}
