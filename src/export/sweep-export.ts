/**
 * A sweep exported for a cluster: one PyTorch script that holds every run of the sweep as an
 * array task, and a Slurm batch file that runs one task per array index. Pure (schema only), like
 * pytorch-script.ts; the CLI writes the files (src/cli/export-sweep.ts).
 *
 * Tasks are numbered from 0, as Slurm's SLURM_ARRAY_TASK_ID under `--array=0-<n-1>`. A run with
 * `repeats: N > 1` becomes N tasks, one per seed (named `<run>/seed-<s>`, the CLI's layout), so
 * the seeds train in parallel; the last of them to finish writes `<run>/results.json` with every
 * seed's run (the first, the others in `repeats`), the file the CLI writes for such a run.
 */
import type { ExperimentConfig } from '../schema/config';
import { fillTemplate } from './pytorch-script';

/** The file names the CLI gives the export when it is asked for a folder. */
export const SWEEP_SCRIPT_NAME = 'pruning_lab_sweep.py';
export const SWEEP_RESULTS_DIR = 'results';

/** One run of a sweep, as src/cli/sweep.ts names it. */
export interface SweepRunConfig {
  name: string;
  config: ExperimentConfig;
}

/** One array task: one seed of one run. */
export interface SweepTask {
  /** Where it writes, under the results folder: `<name>/results.json`. */
  name: string;
  /** The run it belongs to. */
  run: string;
  /** Every seed of that run, in order (one, unless the run repeats). */
  seeds: number[];
  /** The run's config with this task's seed (repeats kept, as the CLI records each seed). */
  config: ExperimentConfig;
}

/** The array tasks of `runs`, in order: each run's seeds seed, seed + 1, …, seed + repeats − 1. */
export function sweepTasks(runs: readonly SweepRunConfig[]): SweepTask[] {
  return runs.flatMap(({ name, config }) => {
    const seeds = Array.from({ length: config.repeats }, (_, i) => config.seed + i);
    return seeds.map((seed) => ({
      name: seeds.length > 1 ? `${name}/seed-${seed}` : name,
      run: name,
      seeds,
      config: { ...config, seed },
    }));
  });
}

/** The sweep's script: the PyTorch twin with every task inside (see main_sweep in it). */
export function sweepScript(runs: readonly SweepRunConfig[]): string {
  return fillTemplate({ config: null, sweep: sweepTasks(runs) });
}

/** A Slurm job name: letters, digits, `.`, `_` and `-` only. */
export function slurmJobName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '') || 'pruning-lab-sweep';
}

export interface SbatchOptions {
  /** The script's file name, beside the batch file. */
  script: string;
  /** The batch file's own name (said in its header). */
  sbatch: string;
  jobName: string;
  tasks: number;
  /** The folder the tasks write to, relative to where the job is submitted. */
  results?: string;
}

/**
 * The Slurm batch file: one array task per sweep task, each logging to
 * `<job name>-<job id>_<task>.out` in the folder it was submitted from. Arguments after the
 * file name go to the script (`sbatch job.sbatch --data-dir /data/mnist`).
 */
export function sweepSbatch(options: SbatchOptions): string {
  const { script, sbatch, jobName, tasks, results = SWEEP_RESULTS_DIR } = options;
  return [
    '#!/bin/bash',
    `# Pruning Lab sweep "${jobName}": ${tasks} array task${tasks === 1 ? '' : 's'}, one per run and seed`,
    `# (python3 ${script} --list names them). Submit from the folder that holds this file and`,
    `# ${script}; arguments after the file name go to the script:`,
    `#   sbatch ${sbatch} [--data-dir /path/to/data]`,
    `# Each task writes ${results}/<run name>/results.json: open it with Import in the lab.`,
    `#SBATCH --job-name=${jobName}`,
    `#SBATCH --array=0-${tasks - 1}`,
    '#SBATCH --output=%x-%A_%a.out',
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=4',
    '#SBATCH --mem=16G',
    '#SBATCH --time=04:00:00',
    '# For a GPU per task, remove one "#" from the next line (the script then uses cuda):',
    '##SBATCH --gres=gpu:1',
    '',
    'set -euo pipefail',
    `mkdir -p ${results}`,
    `python3 ${script} --index "$SLURM_ARRAY_TASK_ID" --out ${results} --threads "\${SLURM_CPUS_PER_TASK:-0}" "$@"`,
    '',
  ].join('\n');
}
