/**
 * What the "Inference speed" view (and the CLI's --inference-bench) asks the engine and what it
 * answers: types only, plain data (src/engine/sparse/inference-bench.ts measures; the host
 * in src/worker/inference-host.ts assembles). Re-exported by protocol.ts.
 */
import type {
  BatchTiming,
  InferenceBenchResult,
  LayerSpeed,
  RateRounds,
} from '../engine/sparse/inference-bench';
import type { ModelName } from '../schema/config';

export type { BatchTiming, InferenceBenchResult, LayerSpeed, RateRounds };

export interface InferenceBenchRequest {
  /** The kept state: 0 after dense training, j after cycle j. */
  cycle: number;
  /**
   * Prune that state once more, by global magnitude, to this overall sparsity before timing
   * (no retraining: speed depends on the masks only). Absent: the state as it is.
   */
  sparsity?: number;
  /** Batch sizes (default 1 and 128), timed rounds (default 5) of about roundMs (250) each. */
  batches?: number[];
  rounds?: number;
  roundMs?: number;
  /** Also time tfjs's model.predict on the engine's backend (default true). */
  tfjs?: boolean;
}

export interface InferenceBenchView extends InferenceBenchResult {
  cycle: number;
  model: ModelName;
  /** The sparsity asked for (a one-shot prune of the state), null for the state as it is. */
  prunedTo: number | null;
  /**
   * Where theoreticalSpeedup comes from: the compression report the results recorded for this
   * cycle ('report'), or the same formula on these masks ('masks': dense state, extra prune).
   */
  theoreticalFrom: 'report' | 'masks';
}
