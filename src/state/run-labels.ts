/** Names for runs: what differs between compared runs, and a one-line summary of each. */
import { DEFAULT_CONFIG, type ExperimentConfig } from '../schema/config';
import type { Results } from '../schema/results';

type Key = keyof ExperimentConfig;
const KEYS = Object.keys(DEFAULT_CONFIG) as Key[];

const show = (key: Key, value: unknown): string => {
  if (key === 'targetSparsity' && typeof value === 'number') return `${+(value * 100).toFixed(2)}%`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** The config keys whose values are not the same in all `configs`. */
export function differingKeys(configs: readonly ExperimentConfig[]): Key[] {
  return KEYS.filter((key) => {
    const first = JSON.stringify(configs[0]?.[key]);
    return configs.some((c) => JSON.stringify(c[key]) !== first);
  });
}

/** A legend label naming only what differs from the other runs ("criterion lamp, seed 7"). */
export function differenceLabel(config: ExperimentConfig, keys: readonly Key[]): string {
  if (keys.length === 0) return 'same settings';
  return keys.map((k) => `${k} ${show(k, config[k])}`).join(', ');
}

/** "lenet5 · lamp · 98% · slr" plus the regime when it is not IMP. */
export function runSummary(results: Results): string {
  const c = results.config;
  const parts = [c.model, c.criterion, show('targetSparsity', c.targetSparsity)];
  parts.push(c.regime === 'gmp' ? 'GMP' : c.retrainSchedule);
  if (c.rewind !== 'none')
    parts.push(`rewind ${c.rewind === 'init' ? 'init' : `epoch ${c.rewindEpoch}`}`);
  return parts.join(' · ');
}

/** Final sparsity and accuracy of a run so far, and whether it finished. */
export function runOutcome(results: Results): {
  sparsity: number;
  accuracy: number | null;
  complete: boolean;
  cyclesDone: number;
} {
  const last = results.cycles.at(-1);
  const gmp = results.config.regime === 'gmp';
  const sparsity = gmp ? (results.dense?.epochs.at(-1)?.sparsity ?? 0) : (last?.sparsity ?? 0);
  const accuracy = last
    ? (last.afterRetrain ?? last.afterPrune).testAccuracy
    : (results.dense?.final.testAccuracy ?? null);
  const cyclesDone = results.cycles.filter(
    (c) => c.afterRetrain !== null || results.config.retrainEpochs === 0,
  ).length;
  const complete = gmp
    ? (results.dense?.epochs.length ?? 0) === results.config.denseEpochs
    : cyclesDone === results.config.cycles;
  return { sparsity, accuracy, complete, cyclesDone };
}
