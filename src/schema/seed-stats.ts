/**
 * Statistics over the seeds of a repeated experiment (`repeats: N`): every seed's run of a
 * results document, the mean, sample standard deviation, minimum and maximum of each measured
 * point, and whether a gap between two experiments is larger than their spread. Pure.
 */
import { resultRows, type ResultRow } from './results-table';
import type { Results, RunResults } from './results';

/** Every seed's run of `results`, in seed order: the document's own run, then its repeats. */
export function seedRuns(results: Results): RunResults[] {
  const { repeats, ...first } = results;
  return [first, ...(repeats ?? [])];
}

/** The seeds' runs that have finished dense training (a repeat still starting has none). */
export function trainedSeedRuns(results: Results): RunResults[] {
  return seedRuns(results).filter((run) => run.dense !== null);
}

export interface Spread {
  n: number;
  mean: number;
  /** Sample standard deviation (divisor n − 1); null for a single value. */
  std: number | null;
  min: number;
  max: number;
}

/** The spread of `values` (at least one). */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread of no values');
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? null : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, std, min: Math.min(...values), max: Math.max(...values) };
}

/** The spread of the values present (null where none is). */
export function spreadOf(values: readonly (number | null | undefined)[]): Spread | null {
  const present = values.filter((v): v is number => typeof v === 'number');
  return present.length === 0 ? null : spread(present);
}

/** The measured quantities of the per-cycle summary, in `ResultRow`'s names. */
export const SUMMARY_METRICS = [
  'plannedSparsity',
  'sparsity',
  'accAfterPrune',
  'accAfterRecalibration',
  'accAfterRewind',
  'accAfterRetrain',
  'lossAfterRetrain',
  'speedup',
  'instability',
] as const satisfies readonly (keyof ResultRow)[];

export interface SummaryRow extends Spread {
  /** 0: the trained network before any prune (under GMP: the pruned run); j: cycle j. */
  cycle: number;
  metric: (typeof SUMMARY_METRICS)[number];
}

/**
 * The summary over seeds (the CLI's summary.csv): for every cycle and metric some seed
 * measured, n, mean, std, min and max over the seeds that measured it.
 */
export function summaryRows(results: Results): SummaryRow[] {
  const rowsBySeed = trainedSeedRuns(results).map((run) => resultRows(run));
  const cycles = [...new Set(rowsBySeed.flatMap((rows) => rows.map((r) => r.cycle)))].sort(
    (a, b) => a - b,
  );
  const summary: SummaryRow[] = [];
  for (const cycle of cycles) {
    const atCycle = rowsBySeed.map((rows) => rows.find((r) => r.cycle === cycle));
    for (const metric of SUMMARY_METRICS) {
      const s = spreadOf(atCycle.map((row) => row?.[metric]));
      if (s) summary.push({ cycle, metric, ...s });
    }
  }
  return summary;
}

/** The final test accuracy of each seed's finished run (GMP: at the end of its run). */
export function finalAccuracies(results: Results): number[] {
  return trainedSeedRuns(results).flatMap((run) => {
    if (run.gmp) return [run.dense!.final.testAccuracy];
    const last = run.cycles.at(-1);
    if (!last || last.cycle < run.config.cycles) return [];
    return [(last.afterRetrain ?? last.afterPrune).testAccuracy];
  });
}

export interface GapVerdict {
  /** mean(b) − mean(a). */
  gap: number;
  /** The ±1 std half-widths of a and b. */
  stdA: number;
  stdB: number;
  /** The ±1 standard deviation bands do not overlap: |gap| > std(a) + std(b). */
  exceedsSpread: boolean;
}

/**
 * Whether the gap between two experiments' means is larger than their spread over seeds: their
 * ±1 standard deviation bands do not overlap. Null unless each has at least two seeds.
 */
export function gapVerdict(a: Spread, b: Spread): GapVerdict | null {
  if (a.std === null || b.std === null) return null;
  const gap = b.mean - a.mean;
  return { gap, stdA: a.std, stdB: b.std, exceedsSpread: Math.abs(gap) > a.std + b.std };
}
