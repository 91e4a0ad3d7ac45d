/** Chart data for compared runs (pure; the components only draw it). */
import type { Results } from '../../schema/results';

/** Accuracy (%) after each retraining vs sparsity (%), dense first; GMP: per epoch. */
export function accuracyCurve(results: Results): { sparsity: number; accuracy: number }[] {
  if (!results.dense) return [];
  if (results.gmp) {
    return results.dense.epochs.map((e) => ({
      sparsity: 100 * e.sparsity,
      accuracy: 100 * e.testAccuracy,
    }));
  }
  return [
    { sparsity: 0, accuracy: 100 * results.dense.final.testAccuracy },
    ...results.cycles.map((c) => ({
      sparsity: 100 * c.sparsity,
      accuracy: 100 * (c.afterRetrain ?? c.afterPrune).testAccuracy,
    })),
  ];
}

/** Per-layer sparsity (%) at the end of the run (GMP: after its last pruning step). */
export function finalLayerRates(results: Results): Record<string, number> {
  const names = results.model.layers.map((l) => l.name);
  const rates: Record<string, number> = {};
  const lastStep = results.gmp?.pruneSteps.at(-1);
  const lastCycle = results.cycles.at(-1);
  names.forEach((name, l) => {
    rates[name] = lastStep
      ? 100 * (lastStep.layers[l] ?? 0)
      : 100 * (lastCycle?.layers[l]?.sparsity ?? 0);
  });
  return rates;
}
