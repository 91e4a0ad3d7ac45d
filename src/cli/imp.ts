/**
 * Headless IMP: `npm run imp -- --config <file.json> --out <dir>`.
 * Runs the engine host the app's worker runs (see run-experiment.ts), with the same config
 * schema, and writes <dir>/results.json plus the model after dense training and after every cycle
 * (<dir>/models/dense/, <dir>/models/cycle-<j>/, TF.js layers format). With `repeats: N > 1`
 * each seed's run goes to <dir>/seed-<s>/, and <dir> gets results.json with every seed's run and
 * summary.csv (mean, std, min, max, n over the seeds per cycle and metric; run-experiment.ts).
 * `--sweep <file.json>` runs a list of configs (see sweep.ts): one such folder per run under
 * <dir>/<run name>/, <dir>/sweep.csv with one row per run, seed and measured point, and
 * <dir>/summary.csv with every run's summary over its seeds.
 * `--export-pytorch <file.py>` writes the config as a standalone PyTorch script instead; with
 * `--sweep`, the whole sweep as one script and a Slurm job array (<folder> or <file.py>; see
 * export-sweep.ts).
 * `--inference-bench` then times the run's networks, dense against sparse (CSR) kernels, at
 * batch 1 and 128 (see inference-bench.ts for it and its options).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pytorchScript } from '../export/pytorch-script';
import { ConfigError, parseConfig } from '../schema/config';
import { resultRows, toCsv } from '../schema/results-table';
import { seedRuns, summaryRows } from '../schema/seed-stats';
import { createEngineHost } from '../worker/engine-host';
import { nodeHostEnvironment } from './node-host';
import { createExperimentRunner, runRepeats, type Log } from './run-experiment';
import { expandSweep } from './sweep';
import { exportSweep } from './export-sweep';
import { inferenceBenchArgs, runInferenceBench } from './inference-bench';

const USAGE = [
  'Usage: npm run imp -- --config <file.json> --out <dir> [--quiet]',
  '       npm run imp -- --sweep <sweep.json> --out <dir> [--quiet]',
  '       npm run imp -- --config <file.json> --export-pytorch <script.py>',
  '       npm run imp -- --sweep <sweep.json> --export-pytorch <folder | script.py>',
  '       npm run imp -- --config <file.json> --out <dir> --inference-bench',
  '                      [--inference-sparsities 0.9,0.98] [--bench-rounds 5]',
  '                      [--bench-round-ms 250] [--bench-batches 1,128]',
].join('\n');

async function readJson(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`Cannot read ${what} ${path}: ${(error as Error).message}`]);
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      sweep: { type: 'string' },
      out: { type: 'string' },
      'export-pytorch': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'inference-bench': { type: 'boolean', default: false },
      'inference-sparsities': { type: 'string' },
      'bench-rounds': { type: 'string' },
      'bench-round-ms': { type: 'string' },
      'bench-batches': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const source = values.config ?? values.sweep;
  const exportTo = values['export-pytorch'];
  const benchAsked =
    values['inference-bench'] ||
    ['inference-sparsities', 'bench-rounds', 'bench-round-ms', 'bench-batches'].some(
      (k) => values[k as keyof typeof values] !== undefined,
    );
  if (benchAsked && (!values['inference-bench'] || !values.config || !values.out || exportTo)) {
    console.error(`--inference-bench goes with --config and --out; its options need it.\n${USAGE}`);
    return 2;
  }
  if (!source || (!values.out && !exportTo) || (values.config && values.sweep)) {
    console.error(USAGE);
    return 2;
  }
  const log: Log = values.quiet ? () => {} : (line) => console.log(line);
  const out = values.out ?? '.';
  const host = createEngineHost(nodeHostEnvironment());
  const runExperiment = createExperimentRunner(host, log);
  try {
    if (values.config && values['inference-bench']) {
      const args = inferenceBenchArgs(values);
      const config = parseConfig(await readJson(values.config, 'config'));
      if (config.repeats > 1) log(`--inference-bench times one run: seed ${config.seed} only`);
      const results = await runExperiment({ ...config, repeats: 1 }, out);
      await runInferenceBench(host, results, args, out, log);
      return 0;
    }
    if (values.config && exportTo) {
      const config = parseConfig(await readJson(values.config, 'config'));
      await writeFile(exportTo, pytorchScript(config));
      log(`wrote ${exportTo}: run it with python3 ${exportTo} --help`);
      return 0;
    }
    if (values.config) {
      await runRepeats(
        runExperiment,
        parseConfig(await readJson(values.config, 'config')),
        out,
        log,
      );
      return 0;
    }
    const runs = expandSweep(await readJson(source, 'sweep'));
    if (exportTo) {
      const files = await exportSweep(runs, source, exportTo);
      log(`wrote ${files.script} (${files.tasks} array tasks) and ${files.sbatch}`);
      log(`run one with python3 ${files.script} --index 0, or on Slurm: sbatch ${files.sbatch}`);
      return 0;
    }
    log(`sweep: ${runs.length} runs`);
    const rows: Record<string, unknown>[] = [];
    const summary: Record<string, unknown>[] = [];
    for (const run of runs) {
      log(`— ${run.name}`);
      const results = await runRepeats(runExperiment, run.config, join(out, run.name), log);
      const varied = Object.fromEntries(
        Object.entries(run.varied).map(([k, v]) => [
          k,
          typeof v === 'object' ? JSON.stringify(v) : v,
        ]),
      );
      for (const seedRun of seedRuns(results)) {
        const seed = seedRun.config.seed;
        for (const row of resultRows(seedRun))
          rows.push({ run: run.name, ...varied, seed, ...row });
      }
      for (const row of summaryRows(results)) summary.push({ run: run.name, ...varied, ...row });
      // Written after each run, so an interrupted sweep keeps what it finished.
      await writeFile(join(out, 'sweep.csv'), toCsv(rows));
      await writeFile(join(out, 'summary.csv'), toCsv(summary));
    }
    log(`wrote ${join(out, 'sweep.csv')} and summary.csv`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${source}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exit(1);
  },
);
