/**
 * Per-layer overrides around any criterion. An excluded layer is never pruned. A pinned layer
 * follows its own IMP schedule to its pinned sparsity q (after cycle j of J: 1 - (1 - q)^(j/J),
 * smallest |w| first). The criterion handles the other ("free") layers with what is left of the
 * cycle's budget: the free layers keep
 *   round((1 - s_j) * N) - alive(excluded) - target alive(pinned)
 * weights, i.e. a free sparsity s_free and a fraction p_free of their survivors, both clipped to
 * [0, 1], and never below 0.1% of their weights. Pins that remove more than the budget leave
 * the free layers alone, so the recorded overall sparsity is then higher than planned. The
 * config refuses such combinations beforehand (override-feasibility.ts); these rules are what
 * the engine does with one that was not checked.
 */
import type { CriterionModule, PruneContext } from './criteria/types';
import {
  countAlive,
  plannedSparsity,
  pruneLayersTo,
  roundHalfEven,
  type GlobalPruneResult,
} from './prune-math';

export type LayerOverride = 'exclude' | number;

/** The least fraction of their weights the free layers keep (the config's 0.999 cap). */
export const FREE_LAYER_FLOOR = 0.001;

export interface OverridePlan {
  names: readonly string[];
  overrides: Readonly<Record<string, LayerOverride>>;
  cycle: number;
  cycles: number;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export function pruneWithOverrides(
  criterion: CriterionModule,
  context: PruneContext,
  plan: OverridePlan,
): GlobalPruneResult {
  const { weights, masks, shapes, targetSparsity } = context;
  const override = (l: number) => plan.overrides[plan.names[l]!];
  const layers = weights.map((_, l) => l);
  const free = layers.filter((l) => override(l) === undefined);
  const pinned = layers.filter((l) => typeof override(l) === 'number');
  const excluded = layers.filter((l) => override(l) === 'exclude');
  if (pinned.length === 0 && excluded.length === 0) return criterion.prune(context);

  const out: Uint8Array[] = masks.map((m) => m.slice());
  let pruned = 0;
  const aliveBefore = masks.reduce((a, m) => a + countAlive(m), 0);

  // Pinned layers: their own schedule towards their pin.
  const pinRates = pinned.map((l) =>
    plannedSparsity(override(l) as number, plan.cycles, plan.cycle),
  );
  const pinResult = pruneLayersTo(
    pinned.map((l) => weights[l]!),
    pinned.map((l) => masks[l]!),
    pinRates,
  );
  pinned.forEach((l, i) => (out[l] = pinResult.masks[i]!));
  pruned += pinResult.pruned;

  if (free.length > 0) {
    const total = weights.reduce((a, w) => a + w.length, 0);
    const freeSize = free.reduce((a, l) => a + weights[l]!.length, 0);
    const freeAlive = free.reduce((a, l) => a + countAlive(masks[l]!), 0);
    const keepAll = roundHalfEven((1 - targetSparsity) * total);
    const keepOthers = [...excluded, ...pinned].reduce((a, l) => a + countAlive(out[l]!), 0);
    // Free layers keep at least 0.1% (the config's 0.999 cap), whatever the pins demand.
    const keepFree = Math.max(Math.ceil(FREE_LAYER_FLOOR * freeSize), keepAll - keepOthers);
    const result = criterion.prune({
      ...context,
      weights: free.map((l) => weights[l]!),
      masks: free.map((l) => masks[l]!),
      shapes: free.map((l) => shapes[l]!),
      roles: { first: free[0] === 0, last: free.at(-1) === layers.length - 1 },
      fraction: freeAlive > 0 ? clamp01(1 - keepFree / freeAlive) : 0,
      targetSparsity: freeSize > 0 ? clamp01(1 - keepFree / freeSize) : 0,
    });
    free.forEach((l, i) => (out[l] = result.masks[i]!));
    pruned += result.pruned;
  }
  return { masks: out, pruned, aliveBefore };
}
