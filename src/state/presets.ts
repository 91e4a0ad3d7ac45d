/**
 * Guided experiments: each a question, a prediction to make before running, the runs that
 * answer it (settings over the classroom defaults), and what to look for afterwards. Running a
 * preset trains its runs one after another and pins them side by side in the comparison.
 */
import { remainingWork } from '../core/run-estimate';
import { DEFAULT_CONFIG, parseConfig, type ExperimentConfig } from '../schema/config';
import { runShape } from './estimate-slice';

export interface Preset {
  id: string;
  title: string;
  question: string;
  /** The prediction to commit to before pressing Run. */
  predict: string;
  runs: { label: string; settings: Partial<ExperimentConfig> }[];
  /** What the charts show afterwards, and the paper's claim it bears on. */
  lookFor: string;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'global-vs-uniform',
    title: 'Global or uniform layer rates?',
    question:
      'At 98% sparsity, should every layer lose the same share of its weights, or should the smallest weights go wherever they are?',
    predict:
      'Which keeps more accuracy: global magnitude or uniform? Which layer will global prune most?',
    runs: [
      { label: 'global', settings: { targetSparsity: 0.98, criterion: 'global' } },
      { label: 'uniform', settings: { targetSparsity: 0.98, criterion: 'uniform' } },
    ],
    lookFor:
      'The per-layer chart: global prunes the big first layer hardest (fc1 98.7%) and spares the small last one (fc3 about 52%); uniform takes 98% of every layer. Measured on Fashion-MNIST over 3 seeds: global ends at 88.1% ± 0.0, uniform at 87.2% ± 0.2 — about a point, larger than the spread — and right after the last prune the gap is 11 points (69% against 59%). The paper finds the global criterion picks layer-wise rates about as well as more complex ones (here ERK and uniform+ end a quarter of a point above global, LAMP level with it: docs/findings.md).',
  },
  {
    id: 'ft-vs-slr',
    title: 'Fine-tune, or re-warm the learning rate?',
    question:
      'After each prune, retrain at the small final learning rate (fine-tuning, FT) or with a schedule that climbs back to the peak rate and decays (SLR)?',
    predict: 'Which ends higher at 98% sparsity, and by how much?',
    runs: [
      { label: 'FT', settings: { targetSparsity: 0.98, retrainSchedule: 'ft' } },
      { label: 'SLR', settings: { targetSparsity: 0.98, retrainSchedule: 'slr' } },
    ],
    lookFor:
      "FT falls behind as sparsity grows — measured on Fashion-MNIST over 3 seeds, 1.5 points at 90%, 2.6 at 95% and 3.9 at 98% (84.2% ± 0.1 against SLR's 88.1% ± 0.0), far beyond the spread: with a tiny rate the network cannot recover from each prune. This is the paper's main claim: plain IMP is strong when retraining uses a good schedule (LLR and CLR end level with SLR).",
  },
  {
    id: 'retrain-epochs',
    title: 'How many retraining epochs are enough?',
    question: 'Prune to 95% in five cycles, retraining 0, 1 or 2 epochs after each prune.',
    predict: 'How much does the first retraining epoch give back? And the second?',
    runs: [
      { label: '0 epochs', settings: { targetSparsity: 0.95, retrainEpochs: 0 } },
      { label: '1 epoch', settings: { targetSparsity: 0.95, retrainEpochs: 1 } },
      { label: '2 epochs', settings: { targetSparsity: 0.95, retrainEpochs: 2 } },
    ],
    lookFor:
      'Without retraining the accuracy slides with every prune; one epoch recovers almost all of it and the second adds little — a few retraining epochs per cycle give most of the accuracy. Measured on Fashion-MNIST over 3 seeds: 67.6% ± 3.3 with none, 89.1% ± 0.1 with one, 89.5% ± 0.2 with two (and 89.4% with five).',
  },
  {
    id: 'imp-vs-one-shot',
    title: 'Iterative or one-shot?',
    question:
      'Reach 98% in five prune/retrain cycles, or in one prune followed by the same five epochs of retraining?',
    predict: 'Does pruning gradually pay off when the retraining budget is the same?',
    runs: [
      { label: 'IMP, 5 cycles', settings: { targetSparsity: 0.98, cycles: 5, retrainEpochs: 1 } },
      { label: 'one-shot', settings: { targetSparsity: 0.98, cycles: 1, retrainEpochs: 5 } },
    ],
    lookFor:
      'Right after the single big prune the one-shot network collapses (37% on Fashion-MNIST, against 69% after IMP’s last, smaller cut); compare the final points: measured over 3 seeds, IMP ends at 88.1% ± 0.0 and one-shot at 87.7% ± 0.1 — a third of a point, small but larger than the spread. Iterating lets each retraining repair a smaller cut.',
  },
  {
    id: 'rewinding',
    title: 'Lottery ticket: rewind, or keep training?',
    question:
      'After each prune, reset the surviving weights to their initial values (rewinding) and retrain from there, or retrain the pruned weights as they are?',
    predict:
      'Can a sparse network trained from the original initialisation match the one that keeps its weights?',
    runs: [
      {
        label: 'rewind to init',
        settings: { rewind: 'init', retrainEpochs: 3, retrainSchedule: 'lrw' },
      },
      { label: 'continue', settings: { retrainEpochs: 3, retrainSchedule: 'slr' } },
    ],
    lookFor:
      'The rewound network starts every cycle far below the one that keeps its weights (the results table shows the accuracy after rewinding: about 50–70% on Fashion-MNIST — the untrained weights under the mask, already far above the 10% of chance) yet reaches about the same final accuracy at 90%: 89.5% ± 0.2 against 89.7% ± 0.3 over 3 seeds, within the spread. The mask found by magnitude pruning is a winning ticket on this small task.',
  },
  {
    id: 'random-control',
    title: 'Is magnitude better than chance?',
    question: 'Prune 98% of the weights by smallest magnitude, or 98% chosen at random?',
    predict: 'How far below magnitude pruning will random pruning end?',
    runs: [
      { label: 'global magnitude', settings: { targetSparsity: 0.98, criterion: 'global' } },
      { label: 'random', settings: { targetSparsity: 0.98, criterion: 'random' } },
    ],
    lookFor:
      'Random pruning is the control: every layer loses the same share at random and accuracy drops far more — measured on Fashion-MNIST at 98% over 3 seeds, 75% ± 8 against magnitude’s 88.1% (and 19% against 69% right after the last prune; the wide spread says random masks also differ a lot from seed to seed). Magnitude carries real information about which weights matter.',
  },
];

export function presetById(id: string | null | undefined): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/**
 * What every guided experiment runs on unless its runs say otherwise: LeNet-300-100 on
 * Fashion-MNIST, where the methods end further apart than on MNIST (on MNIST at 90% they all
 * end within a few tenths of a point), over the classroom defaults (3 dense epochs, 5 cycles).
 * The MLP rather than the default LeNet-5: an experiment is several runs, and its figures in
 * `lookFor` were measured on it.
 */
export const PRESET_BASE: ExperimentConfig = parseConfig({
  ...DEFAULT_CONFIG,
  dataset: 'fashion-mnist',
  model: 'lenet300',
});

/**
 * The quick variant of every guided experiment: the same runs (model, cycles, epochs,
 * schedules) on the tiny synthetic data set, 1,024 training images instead of 60,000, so a
 * whole experiment takes seconds. The numbers differ from Fashion-MNIST's; the flow is the same.
 */
export const QUICK_SETTINGS: Partial<ExperimentConfig> = { dataset: 'synthetic' };

/** The seeds a guided experiment can run with: one, or three to tell a gap from noise. */
export const PRESET_SEEDS = [1, 3] as const;
export type PresetSeeds = (typeof PRESET_SEEDS)[number];

/**
 * The full config of one of a preset's runs: its settings over `base` (PRESET_BASE, or a locked
 * link's settings), in the quick variant the quick settings over those, with `seeds` repeats.
 */
export function presetConfig(
  settings: Partial<ExperimentConfig>,
  base: ExperimentConfig = PRESET_BASE,
  options: { quick?: boolean; seeds?: PresetSeeds } = {},
): ExperimentConfig {
  const quick = options.quick ? QUICK_SETTINGS : {};
  return parseConfig({
    ...base,
    layerOverrides: {},
    ...settings,
    ...quick,
    repeats: options.seeds ?? 1,
  });
}

/**
 * The yardstick of the expected times: Run all of LeNet-300-100 over the classroom defaults (60,000
 * training images, 3 dense epochs, 5 cycles of 1 retraining epoch) took 62 s in headless
 * Chromium on a 2-core laptop-class machine (WASM backend; `npm run bench`, docs/performance.md).
 */
export const REFERENCE_RUN_SECONDS = 62;

/**
 * The expected time of a preset's whole experiment on such a machine: each run's work
 * (core/run-estimate.ts) over the reference run's, times the reference's seconds, times the
 * seeds. The model is LeNet-300-100 in every preset, so work compares across them.
 */
export function presetSeconds(preset: Preset, seeds: PresetSeeds = 1): number {
  const untrained = { stage: 'untrained' as const, cycle: 0 };
  const reference = remainingWork(runShape(presetConfig({})), untrained);
  const work = preset.runs.reduce(
    (sum, run) => sum + remainingWork(runShape(presetConfig(run.settings)), untrained),
    0,
  );
  return (seeds * REFERENCE_RUN_SECONDS * work) / reference;
}
