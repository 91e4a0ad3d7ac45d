/** What every pruning criterion gets and returns. */
import type { Rng } from '../../data/rng';
import type { GlobalPruneResult } from '../prune-math';

export interface PruneContext {
  /** Current kernel values, one array per prunable layer (row-major). */
  weights: readonly Float32Array[];
  /** Current masks (1 = alive). */
  masks: readonly Uint8Array[];
  /** Kernel shapes: [kh, kw, cin, cout] for conv, [in, out] for dense. */
  shapes: readonly number[][];
  /** Fraction p of the alive weights to prune this cycle (criteria that rank globally). */
  fraction: number;
  /** Planned overall sparsity after this cycle (criteria that allocate per layer). */
  targetSparsity: number;
  /** Seeded randomness (the random criterion). */
  rng: Rng;
  /** Whether the first and last layers given are the model's (not so under overrides). */
  roles?: LayerRoles;
}

export interface LayerRoles {
  first: boolean;
  last: boolean;
}

export interface CriterionModule {
  label: string;
  /** One line for the UI and docs: how the weights to prune are chosen. */
  description: string;
  prune(context: PruneContext): GlobalPruneResult;
}

export const isConv = (shape: readonly number[]) => shape.length === 4;
