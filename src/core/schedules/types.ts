/** What every retraining schedule gets and says about itself. */

/**
 * The dense run's schedule, fixed by the config: T_orig iterations, a linear warm-up over the
 * first `warmup` of them, then a linear decay from lrMax to lrMin (see dense.ts).
 */
export interface DenseSchedule {
  /** maxLR: the largest rate of the dense schedule (its peak, reached right after warm-up). */
  lrMax: number;
  /** minLR: the smallest rate after the dense warm-up (its last iteration's). */
  lrMin: number;
  /** T_orig, the dense run's length in iterations. */
  iterations: number;
  /** The dense run's warm-up length in iterations. */
  warmup: number;
  /** The dense run's length in epochs (ALLR's lower bound uses the epoch ratio, as BIMP). */
  epochs: number;
}

/** What the last prune did, for ALLR: relative norm drop d and pruned fraction s. */
export interface PruneEffect {
  /** d = sqrt(|‖θ‖² − ‖θ_pruned‖²|) / ‖θ‖ over all weights and biases, batch norm included. */
  normDrop: number;
  /** s: the fraction of the surviving weights this prune removed (BIMP's prune_per_phase). */
  pruneFraction: number;
}

/** One retraining phase: T iterations (and E epochs) after a prune. */
export interface RetrainPhase {
  dense: DenseSchedule;
  /** T, the phase's length in iterations. */
  iterations: number;
  /** The phase's length in epochs. */
  epochs: number;
  /** The last prune's effect (ALLR); absent in a preview before any prune. */
  effect?: PruneEffect;
}

/**
 * One retraining schedule, after ZIB-IOL/BIMP's `define_retrain_schedule`: with warm-up, the
 * phase's first W = int(0.1 T) iterations rise from 0 to `start` along a cosine, then `rate`
 * gives iteration W + j for j = 0 .. R − 1 (R = T − W); without, `rate` covers all T.
 */
export interface ScheduleModule<Id extends string = string> {
  id: Id;
  label: string;
  /** One line for the UI and docs. */
  description: string;
  /** The rule as a formula (plain text, for the docs table and the UI's help). */
  formula: string;
  /** The paper it comes from. */
  source: string;
  /** Whether the phase warms up over its first 10% (FT and LRW do not). */
  warmup: boolean;
  /** The rate the curve starts from, η₀ (the warm-up's end). */
  start(phase: RetrainPhase): number;
  /** The rate of the j-th iteration after warm-up, of R, starting from `start`. */
  rate(phase: RetrainPhase, j: number, remaining: number, start: number): number;
}
