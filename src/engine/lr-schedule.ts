/**
 * Learning-rate schedules, as functions of the iteration t (0-based) within a phase.
 *
 * Dense training (length T_orig): a linear warm-up over the first W = floor(0.1 T_orig)
 * iterations, lr(t) = lrMax (t + 1) / W, then a linear decay from lrMax to
 * lrMin = DENSE_FINAL_FACTOR * lrMax, reached exactly at the last iteration.
 *
 * Retraining (length T, in iterations of the retraining phase), after Zimmer et al. 2021:
 *  - ft:  lr(t) = lrMin.
 *  - lrw: lr(t) = dense(T_orig - T + t), the last T iterations of the dense run
 *         (clamped at the dense run's start when T > T_orig).
 *  - slr: warm-up over W = floor(0.1 T) to lrMax, then dense(floor((t - W) / (T - W) * T_orig)):
 *         the whole dense schedule compressed into the remaining iterations.
 *  - clr: warm-up, then lrMin + (lrMax - lrMin)(1 + cos(pi u)) / 2.
 *  - llr: warm-up, then lrMax (1 - u).
 *  - allr (adaptive linear, Zimmer et al.): like llr from the start rate
 *         lr0 = clip(d / sqrt(s) * lrMax, low, lrMax), low = min(T / T_orig, 1) * lrMax,
 *         where d is the relative L2 norm drop of the last prune and s the fraction of the
 *         surviving weights it removed (lr0 = low when s = 0).
 * where u = (t - W) / max(1, T - W - 1) runs from 0 to 1 over the post-warm-up iterations.
 */
import type { RetrainSchedule } from '../schema/config';

/** Fraction of a phase used for linear warm-up. */
export const WARMUP_FRACTION = 0.1;
/** lrMin / lrMax of the dense run's linear decay. */
export const DENSE_FINAL_FACTOR = 0.01;

export interface DenseSchedule {
  lrMax: number;
  lrMin: number;
  /** T_orig, the dense run's length in iterations. */
  iterations: number;
}

export type LrFunction = (t: number) => number;

/** Warm-up length W = floor(0.1 T) of a phase of T iterations. */
export function warmupLength(iterations: number): number {
  return Math.floor(WARMUP_FRACTION * iterations);
}

/** The dense schedule for a peak rate lrMax over T_orig iterations. */
export function denseSchedule(lrMax: number, iterations: number): DenseSchedule {
  return { lrMax, lrMin: lrMax * DENSE_FINAL_FACTOR, iterations };
}

function progress(t: number, warmup: number, iterations: number): number {
  return Math.min(1, Math.max(0, (t - warmup) / Math.max(1, iterations - warmup - 1)));
}

/** lr(t) of the dense run. */
export function denseLr(schedule: DenseSchedule, t: number): number {
  const { lrMax, lrMin, iterations } = schedule;
  const w = warmupLength(iterations);
  if (t < w) return (lrMax * (t + 1)) / w;
  return lrMax + (lrMin - lrMax) * progress(t, w, iterations);
}

/** What the last prune did, for ALLR: relative L2 norm drop d and pruned fraction s. */
export interface PruneEffect {
  normDrop: number;
  pruneFraction: number;
}

/** ALLR's start rate clip(d / sqrt(s) * lrMax, min(T / T_orig, 1) * lrMax, lrMax). */
export function allrStartLr(dense: DenseSchedule, iterations: number, effect: PruneEffect): number {
  const { lrMax } = dense;
  const low = Math.min(iterations / dense.iterations, 1) * lrMax;
  if (effect.pruneFraction <= 0) return low;
  const raw = (effect.normDrop / Math.sqrt(effect.pruneFraction)) * lrMax;
  return Math.min(lrMax, Math.max(low, raw));
}

/**
 * lr(t) for a retraining phase of `iterations` iterations under `kind`. ALLR needs the last
 * prune's effect; without it (a preview before any prune) it shows its upper bound, lrMax.
 */
export function retrainLr(
  kind: RetrainSchedule,
  dense: DenseSchedule,
  iterations: number,
  effect?: PruneEffect,
): LrFunction {
  const { lrMax, lrMin } = dense;
  const w = warmupLength(iterations);
  const warm = (t: number, after: (t: number) => number) =>
    t < w ? (lrMax * (t + 1)) / w : after(t);
  switch (kind) {
    case 'ft':
      return () => lrMin;
    case 'lrw':
      return (t) => denseLr(dense, Math.max(0, dense.iterations - iterations + t));
    case 'slr':
      return (t) =>
        warm(t, (t) => denseLr(dense, Math.floor(((t - w) / (iterations - w)) * dense.iterations)));
    case 'clr':
      return (t) =>
        warm(
          t,
          (t) =>
            lrMin + ((lrMax - lrMin) * (1 + Math.cos(Math.PI * progress(t, w, iterations)))) / 2,
        );
    case 'llr':
      return (t) => warm(t, (t) => lrMax * (1 - progress(t, w, iterations)));
    case 'allr': {
      const start = effect ? allrStartLr(dense, iterations, effect) : lrMax;
      return (t) => (t < w ? (start * (t + 1)) / w : start * (1 - progress(t, w, iterations)));
    }
  }
}

/** Samples lr at up to `points` evenly spaced iterations (for charts). */
export function sampleSchedule(
  lr: LrFunction,
  iterations: number,
  points = 200,
): { iteration: number; lr: number }[] {
  if (iterations <= 0) return [];
  const step = Math.max(1, Math.floor(iterations / points));
  const out: { iteration: number; lr: number }[] = [];
  for (let t = 0; t < iterations; t += step) out.push({ iteration: t, lr: lr(t) });
  if (out[out.length - 1]!.iteration !== iterations - 1) {
    out.push({ iteration: iterations - 1, lr: lr(iterations - 1) });
  }
  return out;
}
