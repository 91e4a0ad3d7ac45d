/**
 * Results as flat rows: one per measured point (the dense network, then each cycle), for CSV
 * files, spreadsheets and tables. CSV is written by Papa Parse (quoting and escaping per
 * RFC 4180), so a label with a comma or quote stays one cell.
 */
import Papa from 'papaparse';
import type { Results } from './results';

export interface ResultRow {
  /** 0 for the trained network before any prune cycle (under GMP: the pruned run). */
  cycle: number;
  plannedSparsity: number;
  sparsity: number;
  /** Test accuracy right after pruning (empty for cycle 0). */
  accAfterPrune: number | null;
  /** After BN recalibration, when it ran. */
  accAfterRecalibration: number | null;
  /** After rewinding, when it ran. */
  accAfterRewind: number | null;
  /** After retraining (cycle 0: the trained network). */
  accAfterRetrain: number | null;
  lossAfterRetrain: number | null;
  /** Theoretical speed-up of a sparse forward pass (1 when dense; empty when not reported). */
  speedup: number | null;
  /** Pruning instability of the cycle's prune (empty for cycle 0). */
  instability: number | null;
}

/** The rows of one run. */
export function resultRows(results: Results): ResultRow[] {
  const rows: ResultRow[] = [];
  const { dense } = results;
  if (dense) {
    const sparsity = dense.epochs.at(-1)?.sparsity ?? 0;
    rows.push({
      cycle: 0,
      plannedSparsity: results.gmp ? results.config.targetSparsity : 0,
      sparsity,
      accAfterPrune: null,
      accAfterRecalibration: null,
      accAfterRewind: null,
      accAfterRetrain: dense.final.testAccuracy,
      lossAfterRetrain: dense.final.testLoss,
      speedup: sparsity > 0 ? null : 1,
      instability: null,
    });
  }
  for (const c of results.cycles) {
    rows.push({
      cycle: c.cycle,
      plannedSparsity: c.plannedSparsity,
      sparsity: c.sparsity,
      accAfterPrune: c.afterPrune.testAccuracy,
      accAfterRecalibration: c.afterRecalibration?.testAccuracy ?? null,
      accAfterRewind: c.afterRewind?.testAccuracy ?? null,
      accAfterRetrain: c.afterRetrain?.testAccuracy ?? null,
      lossAfterRetrain: c.afterRetrain?.testLoss ?? null,
      speedup: c.report.total.speedup,
      instability: c.report.instability,
    });
  }
  return rows;
}

/** CSV text of `rows`: one column per key any row has (first seen first); null is empty. */
export function toCsv(rows: readonly object[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const clean = rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? '' : v])),
  );
  return `${Papa.unparse(clean, { columns, newline: '\n' })}\n`;
}
