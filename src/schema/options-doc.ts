/**
 * docs/options.md, generated from the registries of src/core/ (`npm run docs:schemas`): one
 * table per kind of option with each entry's config id, label, description, formula and source.
 * A unit test fails when the committed file is out of date, so every entry is documented.
 */
import { CRITERION_IDS, CRITERION_REGISTRY } from '../core/criteria/registry';
import { DATASET_IDS, DATASET_REGISTRY } from '../core/datasets';
import { MODEL_IDS, MODEL_REGISTRY } from '../core/models';
import { REGIME_IDS, REGIME_REGISTRY } from '../core/regimes';
import { SCHEDULE_IDS, SCHEDULE_REGISTRY } from '../core/schedules/registry';

const cell = (text: string) => text.replace(/\|/g, '\\|');
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;

function table(head: string[], rows: string[][]): string {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
}

/** The Markdown text of docs/options.md (before Prettier aligns its tables). */
export function optionsDocument(): string {
  const weights = (id: (typeof MODEL_IDS)[number], input: readonly [number, number, number]) =>
    MODEL_REGISTRY[id]
      .layers(input, 10)
      .reduce((a, l) => a + l.shape.reduce((x, y) => x * y, 1), 0)
      .toLocaleString('en');
  return [
    '# Options',
    '',
    'Every choice the config offers, generated from the registries in `src/core/` by',
    '`npm run docs:schemas` (do not edit by hand). The id is the config value. Formulas use',
    'T for the iterations of a retraining phase, W its warm-up, R = T − W, j the iteration after',
    'the warm-up, T_orig and E_orig the dense run, p the fraction of survivors a cycle prunes,',
    's_j its planned sparsity, N the prunable weights, n_l a layer\u2019s.',
    '',
    '## Selection criteria (`criterion`)',
    '',
    table(
      ['id', 'label', 'what it does', 'formula', 'source'],
      CRITERION_IDS.map((id) => {
        const c = CRITERION_REGISTRY[id];
        return [`\`${id}\``, c.label, c.description, c.formula, c.source];
      }),
    ),
    '',
    '## Retraining schedules (`retrainSchedule`)',
    '',
    'As ZIB-IOL/BIMP computes them (`define_retrain_schedule`): a schedule with warm-up spends',
    'W = int(0.1 T) iterations rising from 0 to its start rate along a cosine',
    '(η_i = η₀ (1 − cos(π i / W)) / 2), then runs its curve over the remaining R iterations.',
    'maxLR and minLR are the largest rate of the dense run and its smallest after warm-up.',
    '',
    table(
      ['id', 'label', 'warm-up', 'formula', 'source'],
      SCHEDULE_IDS.map((id) => {
        const s = SCHEDULE_REGISTRY[id];
        return [`\`${id}\``, s.label, s.warmup ? 'yes' : 'no', s.formula, s.source];
      }),
    ),
    '',
    '## Models (`model`)',
    '',
    table(
      ['id', 'label', 'layers', 'prunable weights (28×28×1 / 32×32×3)', 'batch norm'],
      MODEL_IDS.map((id) => {
        const m = MODEL_REGISTRY[id];
        return [
          `\`${id}\``,
          m.label,
          m.description,
          `${weights(id, [28, 28, 1])} / ${weights(id, [32, 32, 3])}`,
          m.batchNorm ? 'yes' : 'no',
        ];
      }),
    ),
    '',
    '## Data sets (`dataset`)',
    '',
    table(
      ['id', 'label', 'what it is', 'images', 'train / test', 'mean / std'],
      DATASET_IDS.map((id) => {
        const d = DATASET_REGISTRY[id];
        return [
          `\`${id}\``,
          d.label,
          d.description,
          `${d.imageShape.join('×')}, ${d.classes} classes`,
          `${d.trainCount.toLocaleString('en')} / ${d.testCount.toLocaleString('en')}`,
          `${d.mean} / ${d.std}`,
        ];
      }),
    ),
    '',
    '## Regimes (`regime`)',
    '',
    table(
      ['id', 'label', 'what it does'],
      REGIME_IDS.map((id) => [
        `\`${id}\``,
        REGIME_REGISTRY[id].label,
        REGIME_REGISTRY[id].description,
      ]),
    ),
    '',
  ].join('\n');
}
