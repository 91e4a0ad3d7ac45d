/** Names for runs: what differs between compared runs, and a one-line summary of each. */
import { CRITERION_REGISTRY } from '../core/criteria/registry';
import { DATASET_REGISTRY } from '../core/datasets';
import { MODEL_REGISTRY } from '../core/models';
import { REGIME_REGISTRY } from '../core/regimes';
import { SCHEDULE_REGISTRY } from '../core/schedules/registry';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../schema/config';
import type { Results } from '../schema/results';
import type { RunSource } from './run-archive';

type Key = keyof ExperimentConfig;
const KEYS = Object.keys(DEFAULT_CONFIG) as Key[];

const show = (key: Key, value: unknown): string => {
  if (key === 'targetSparsity' && typeof value === 'number') return `${+(value * 100).toFixed(2)}%`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** Settings only IMP reads, and settings only GMP reads. */
const IMP_ONLY: readonly Key[] = [
  'cycles',
  'retrainEpochs',
  'retrainSchedule',
  'rewind',
  'rewindEpoch',
  'bnRecalibration',
];
const GMP_ONLY: readonly Key[] = ['gmpStart', 'gmpEnd', 'gmpEvery'];

/** Whether `key` has any effect on a run with `config` (GMP has no cycles, so no rewinding). */
export function settingApplies(key: Key, config: ExperimentConfig): boolean {
  if (config.regime === 'gmp') return !IMP_ONLY.includes(key);
  if (GMP_ONLY.includes(key)) return false;
  if (key === 'rewindEpoch') return config.rewind === 'epoch';
  if (key === 'retrainSchedule') return config.retrainEpochs > 0;
  if (key === 'augment') return DATASET_REGISTRY[config.dataset].augments === true;
  if (key === 'imageSize' || key === 'imageChannels') {
    return DATASET_REGISTRY[config.dataset].resized === true;
  }
  return true;
}

/**
 * The config keys whose values are not the same in all `configs`, counting only the configs a
 * setting has an effect on (so a GMP run's unused rewind setting never makes a difference).
 */
export function differingKeys(configs: readonly ExperimentConfig[]): Key[] {
  return KEYS.filter((key) => {
    const values = configs.filter((c) => settingApplies(key, c)).map((c) => JSON.stringify(c[key]));
    return values.some((v) => v !== values[0]);
  });
}

/** A registry label's short name: "FT — fine-tune at constant lrMin" -> "FT". */
const short = (label: string) => label.split(/ \(| — /)[0]!;
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const pct = (x: number) => `${+(x * 100).toFixed(2)}%`;

/** One setting of `config` in words ("98% sparsity", "FT", "rewind to init"). */
export function settingWords(key: Key, config: ExperimentConfig): string {
  const c = config;
  switch (key) {
    case 'dataset':
      return short(DATASET_REGISTRY[c.dataset].label);
    case 'dataDir':
      return c.dataDir ? `data from ${c.dataDir}` : 'data built in';
    case 'augment':
      return c.augment ? 'augmented' : 'not augmented';
    case 'imageSize':
      return `resized to ${c.imageSize}×${c.imageSize}`;
    case 'imageChannels':
      return c.imageChannels === 'grey' ? 'grey' : 'RGB';
    case 'validationSplit':
      return c.validationSplit > 0 ? `${pct(c.validationSplit)} held out` : 'no validation split';
    case 'model':
      return short(MODEL_REGISTRY[c.model].label);
    case 'regime':
      return short(REGIME_REGISTRY[c.regime].label);
    case 'denseEpochs':
      return count(c.denseEpochs, c.regime === 'gmp' ? 'training epoch' : 'dense epoch');
    case 'targetSparsity':
      return `${pct(c.targetSparsity)} sparsity`;
    case 'cycles':
      return c.cycles === 1 ? 'one-shot' : count(c.cycles, 'cycle');
    case 'retrainEpochs':
      return count(c.retrainEpochs, 'retraining epoch');
    case 'retrainSchedule':
      return short(SCHEDULE_REGISTRY[c.retrainSchedule].label);
    case 'rewind':
      return c.rewind === 'none'
        ? 'no rewinding'
        : c.rewind === 'init'
          ? 'rewind to init'
          : `rewind to epoch ${c.rewindEpoch}`;
    case 'rewindEpoch':
      return `rewind to epoch ${c.rewindEpoch}`;
    case 'gmpStart':
      return `GMP from ${pct(c.gmpStart)}`;
    case 'gmpEnd':
      return `GMP done at ${pct(c.gmpEnd)}`;
    case 'gmpEvery':
      return `GMP every ${count(c.gmpEvery, 'iteration')}`;
    case 'bnRecalibration':
      return c.bnRecalibration ? 'BN recalibration' : 'no BN recalibration';
    case 'layerOverrides': {
      const entries = Object.entries(c.layerOverrides);
      if (entries.length === 0) return 'no layer overrides';
      return entries
        .map(([layer, v]) => (v === 'exclude' ? `${layer} dense` : `${layer} at ${pct(v)}`))
        .join(', ');
    }
    case 'criterion':
      return short(CRITERION_REGISTRY[c.criterion].label);
    case 'lr':
      return `lr ${c.lr}`;
    case 'batchSize':
      return `batch ${c.batchSize}`;
    case 'weightDecay':
      return `weight decay ${c.weightDecay}`;
    case 'seed':
      return c.repeats > 1 ? `seeds ${c.seed}–${c.seed + c.repeats - 1}` : `seed ${c.seed}`;
    case 'repeats':
      return c.repeats > 1 ? `${c.repeats} seeds` : 'one seed';
    case 'backend':
      return `${c.backend} backend`;
  }
}

/**
 * What sets `config` apart from the other compared runs, in words ("FT", "one-shot, 5
 * retraining epochs"); settings that have no effect on it are left out (a GMP run's rewind).
 */
export function differenceWords(config: ExperimentConfig, keys: readonly Key[]): string {
  const shown = keys.filter(
    (k) =>
      settingApplies(k, config) &&
      // "rewind to epoch k" says both.
      !(k === 'rewindEpoch' && keys.includes('rewind')),
  );
  return shown.map((k) => settingWords(k, config)).join(', ');
}

/** What the labels read of a listed run. */
export interface LabelledRun {
  name?: string;
  source: RunSource;
  results: Pick<Results, 'config'> & { environment: Pick<Results['environment'], 'startedAt'> };
}

/**
 * The legend label of each compared run: its name where it has one, else what differs from
 * the others in words; runs with the same settings are told apart by where and when they ran.
 */
export function compareLabels(runs: readonly LabelledRun[]): string[] {
  const keys = differingKeys(runs.map((r) => r.results.config));
  return runs.map((run) => {
    if (run.name) return run.name;
    const words = differenceWords(run.results.config, keys);
    if (words) return words;
    if (runs.length === 1) return runSummary(run.results);
    const time = new Date(run.results.environment.startedAt).toLocaleTimeString('en-GB');
    return `same settings (${run.source}, ${time})`;
  });
}

/** "lenet5 · lamp · 98% · slr" plus the regime when it is not IMP (GMP has no rewinding). */
export function runSummary(results: Pick<Results, 'config'>): string {
  const c = results.config;
  const parts = [c.model, c.criterion, show('targetSparsity', c.targetSparsity)];
  parts.push(c.regime === 'gmp' ? 'GMP' : c.retrainSchedule);
  if (c.rewind !== 'none' && c.regime !== 'gmp')
    parts.push(`rewind ${c.rewind === 'init' ? 'init' : `epoch ${c.rewindEpoch}`}`);
  return parts.join(' · ');
}

/** A run's name in the list: the one given to it, else its summary. */
export function runName(run: LabelledRun): string {
  return run.name ?? runSummary(run.results);
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
