/** Chart data for compared runs (pure; the components only draw it). */
import type { Results } from '../../schema/results';
import { accuracyVsSparsity } from '../../state/selectors';

export interface CurvePoint {
  sparsity: number;
  accuracy: number;
  /** Over several seeds: accuracy is their mean; how many, and its ±1 std and min–max bands. */
  n?: number;
  std?: [number, number];
  range?: [number, number];
}

/**
 * Accuracy (%) vs sparsity (%) of one compared run: the main chart's points (dense first; GMP
 * per epoch), each cycle taken after its retraining, or after its prune when it had none; over
 * several seeds their mean, with its bands.
 */
export function accuracyCurve(results: Results): CurvePoint[] {
  return accuracyVsSparsity(results, true).map((p) => {
    const key =
      p.duringTraining !== undefined
        ? 'duringTraining'
        : p.afterRetrain !== undefined
          ? 'afterRetrain'
          : 'afterPrune';
    const std = p[`${key}Std`];
    const range = p[`${key}Range`];
    return {
      sparsity: p.sparsity,
      accuracy: p[key]!,
      ...(p.n !== undefined ? { n: p.n } : {}),
      ...(std ? { std } : {}),
      ...(range ? { range } : {}),
    };
  });
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
