/** What every pruning criterion gets and returns. */
import type { Rng } from '../rng';
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

/**
 * One pruning criterion: what the UI, the docs, the config schema and the PyTorch export show
 * of it, and its implementation. `id` is its config value (`"criterion"`).
 */
export interface CriterionModule<Id extends string = string> {
  id: Id;
  label: string;
  /** One line for the UI and docs: how the weights to prune are chosen. */
  description: string;
  /** The rule as a formula (plain text, for the docs table and the UI's help). */
  formula: string;
  /** The paper or code it comes from. */
  source: string;
  prune(context: PruneContext): GlobalPruneResult;
}

export const isConv = (shape: readonly number[]) => shape.length === 4;
