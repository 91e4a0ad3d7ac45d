/**
 * docs/findings.md's tables, from the output of one CLI sweep over experiments/findings-sweep.json:
 *
 *   npm run imp -- --sweep experiments/findings-sweep.json --out runs/findings
 *   npx tsx scripts/findings.ts runs/findings [more output folders of the same sweep, split]
 *
 * Reads every `<run>/results.json` (each run's seeds: the document and its `repeats`), finds each
 * table cell's run by its whole config (the sweep's base with the cell's settings), and writes
 * the tables between the `<!-- findings:begin -->` and `<!-- findings:end -->` lines of
 * docs/findings.md: the mean ± sample std over the seeds, and for each row against its
 * reference whether the gap exceeds the spread (src/schema/seed-stats.ts). The prose around
 * them is written by hand from these numbers.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { parseConfig, type ExperimentConfig } from '../src/schema/config';
import { resultsSchema, type Results } from '../src/schema/results';
import {
  finalAccuracies,
  gapVerdict,
  seedRuns,
  spreadOf,
  type Spread,
} from '../src/schema/seed-stats';

const FINDINGS = process.env.FINDINGS_FILE ?? 'docs/findings.md';
const BEGIN = '<!-- findings:begin -->';
const END = '<!-- findings:end -->';
/** The sweep's base (experiments/findings-sweep.json): the defaults on Fashion-MNIST, 3 seeds. */
const BASE = { dataset: 'fashion-mnist', repeats: 3 } as const;

async function readRuns(dirs: readonly string[]): Promise<Results[]> {
  const runs: Results[] = [];
  for (const dir of dirs) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name, 'results.json');
      const text = await readFile(path, 'utf8').catch(() => null);
      if (text !== null) runs.push(resultsSchema.parse(JSON.parse(text)));
    }
  }
  return runs;
}

const key = (config: ExperimentConfig) => JSON.stringify({ ...config, backend: 'auto' });

const pct = (s: Spread | null) =>
  s === null
    ? '—'
    : `${(100 * s.mean).toFixed(2)}${s.std === null ? '' : ` ± ${(100 * s.std).toFixed(2)}`}`;

/** Minutes per seed, mean over the seeds. */
const minutes = (r: Results) => {
  const times = seedRuns(r).map((run) => run.environment.computeTimeMs / 60000);
  return `${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(1)}`;
};

export function findingsTables(runs: readonly Results[]): string {
  const byConfig = new Map(runs.map((r) => [key(r.config), r]));
  const find = (settings: Partial<ExperimentConfig>) =>
    byConfig.get(key(parseConfig({ ...BASE, ...settings }))) ?? null;
  const final = (r: Results | null) => (r ? spreadOf(finalAccuracies(r)) : null);
  const afterLastPrune = (r: Results | null) =>
    r ? spreadOf(seedRuns(r).map((run) => run.cycles.at(-1)?.afterPrune.testAccuracy)) : null;
  const dense = (r: Results | null) =>
    r ? spreadOf(seedRuns(r).map((run) => run.dense?.final.testAccuracy)) : null;
  /** Against `ref`: the gap in points, and whether it exceeds the spread. */
  const versus = (r: Results | null, ref: Results | null) => {
    const a = final(ref);
    const b = final(r);
    if (!a || !b || r === ref) return '';
    const v = gapVerdict(a, b);
    const gap = `${b.mean >= a.mean ? '+' : '−'}${(100 * Math.abs(b.mean - a.mean)).toFixed(2)}`;
    return v ? `${gap} (${v.exceedsSpread ? 'beyond' : 'within'} spread)` : gap;
  };
  const table = (header: string[], rows: string[][]) =>
    [
      `| ${header.join(' | ')} |`,
      `| ${header.map(() => '---').join(' | ')} |`,
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ].join('\n');
  const out: string[] = [];
  const seedsOf = (r: Results | null) => (r ? seedRuns(r).map((run) => run.config.seed) : []);
  const reference = find({});
  out.push(
    `Dense LeNet-300-100 (3 epochs), seeds ${seedsOf(reference).join(', ') || '—'}: ` +
      `**${pct(dense(reference))}%** test accuracy. Every cell: final test accuracy (%) after ` +
      `the last retraining, mean ± sample std over the 3 seeds; "beyond spread": the gap to the ` +
      `row's reference exceeds the sum of their stds.`,
    '',
  );

  const schedules = [
    ['ft', 'FT (constant lrMin)'],
    ['slr', 'SLR'],
    ['clr', 'CLR'],
    ['llr', 'LLR'],
    ['allr', 'ALLR'],
  ] as const;
  const sparsities = [0.9, 0.95, 0.98];
  out.push('### Retraining schedule (global magnitude, 5 cycles, 1 epoch each)', '');
  out.push(
    table(
      ['schedule', ...sparsities.map((s) => `${100 * s}%`), '98%: vs SLR'],
      schedules.map(([id, label]) => [
        label,
        ...sparsities.map((s) => pct(final(find({ targetSparsity: s, retrainSchedule: id })))),
        versus(
          find({ targetSparsity: 0.98, retrainSchedule: id }),
          find({ targetSparsity: 0.98, retrainSchedule: 'slr' }),
        ),
      ]),
    ),
    '',
  );

  const criteria = [
    ['global', 'global magnitude'],
    ['uniform', 'uniform'],
    ['uniformPlus', 'uniform+'],
    ['erk', 'ERK'],
    ['lamp', 'LAMP'],
    ['random', 'random (control)'],
  ] as const;
  const global98 = find({ targetSparsity: 0.98 });
  const layerNames = global98?.model.layers.map((l) => l.name) ?? [];
  out.push('### Layer-wise rates: the criterion at 98% (SLR)', '');
  out.push(
    table(
      [
        'criterion',
        'final',
        'vs global',
        'right after the last prune',
        `sparsity per layer, seed ${global98?.config.seed ?? ''} (${layerNames.join(' / ')})`,
      ],
      criteria.map(([id, label]) => {
        const r = find({ targetSparsity: 0.98, criterion: id });
        const layers = r?.cycles.at(-1)?.layers.map((l) => (100 * l.sparsity).toFixed(1));
        return [
          label,
          pct(final(r)),
          versus(r, global98),
          pct(afterLastPrune(r)),
          layers ? `${layers.join(' / ')}%` : '—',
        ];
      }),
    ),
    '',
  );

  out.push('### Retraining epochs per cycle (95%, SLR)', '');
  out.push(
    table(
      ['epochs per cycle', 'final', 'vs 1 epoch', 'minutes per seed'],
      [0, 1, 2, 5].map((e) => {
        const r = find({ targetSparsity: 0.95, retrainEpochs: e });
        return [
          String(e),
          pct(final(r)),
          versus(r, find({ targetSparsity: 0.95, retrainEpochs: 1 })),
          r ? minutes(r) : '—',
        ];
      }),
    ),
    '',
    'With 0 epochs the final accuracy is the one right after the fifth prune.',
    '',
  );

  out.push('### Other regimes', '');
  const rows: [string, Partial<ExperimentConfig>, Partial<ExperimentConfig>][] = [
    [
      'GMP, 8 epochs, 95% (vs IMP 3 + 5 × 1 epochs at 95%)',
      { targetSparsity: 0.95, regime: 'gmp', denseEpochs: 8 },
      { targetSparsity: 0.95 },
    ],
    [
      'one-shot to 98%, then 5 retraining epochs (vs IMP, 5 cycles of 1)',
      { targetSparsity: 0.98, cycles: 1, retrainEpochs: 5 },
      { targetSparsity: 0.98 },
    ],
    [
      'rewind to init, LRW, 3 epochs per cycle, 90% (vs continuing with SLR, 3 epochs)',
      { rewind: 'init', retrainEpochs: 3, retrainSchedule: 'lrw' },
      { retrainEpochs: 3 },
    ],
  ];
  out.push(
    table(
      ['run', 'final', 'reference', 'gap', 'minutes per seed (run / reference)'],
      rows.map(([label, settings, refSettings]) => {
        const r = find(settings);
        const ref = find(refSettings);
        return [
          label,
          pct(final(r)),
          pct(final(ref)),
          versus(r, ref),
          r && ref ? `${minutes(r)} / ${minutes(ref)}` : '—',
        ];
      }),
    ),
  );
  const total = runs.reduce(
    (sum, r) => sum + seedRuns(r).reduce((s, run) => s + run.environment.computeTimeMs, 0),
    0,
  );
  out.push(
    '',
    `${runs.length} configs, ${runs.reduce((n, r) => n + seedRuns(r).length, 0)} runs, ` +
      `${(total / 3.6e6).toFixed(1)} h of compute (WASM backend in Node, one run at a time per ` +
      `process on the 2-core machine). A cell with — is a setting the sweep does not run (CLR ` +
      `only at 98%) or has not finished.`,
  );
  return out.join('\n');
}

async function main(dirs: string[]) {
  if (dirs.length === 0) {
    console.error('Usage: npx tsx scripts/findings.ts <sweep output folder> [...]');
    process.exit(2);
  }
  const tables = findingsTables(await readRuns(dirs));
  const doc = await readFile(FINDINGS, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${FINDINGS} has no ${BEGIN} … ${END} lines`);
  const text = `${doc.slice(0, start + BEGIN.length)}\n\n${tables}\n\n${doc.slice(end)}`;
  const options = (await prettier.resolveConfig(FINDINGS)) ?? {};
  await writeFile(FINDINGS, await prettier.format(text, { ...options, parser: 'markdown' }));
  console.log(tables);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
