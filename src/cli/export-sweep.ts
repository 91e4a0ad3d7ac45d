/**
 * `npm run imp -- --sweep <file.json> --export-pytorch <folder | script.py>`: writes the sweep as
 * one PyTorch script and a Slurm batch file beside it (the text: src/export/sweep-export.ts).
 * A folder gets pruning_lab_sweep.py and <sweep name>.sbatch; a .py path, that script and the
 * batch file of the same name ending in .sbatch.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import {
  SWEEP_SCRIPT_NAME,
  slurmJobName,
  sweepSbatch,
  sweepScript,
  sweepTasks,
  type SweepRunConfig,
} from '../export/sweep-export';

export interface SweepExportFiles {
  script: string;
  sbatch: string;
  tasks: number;
}

/** Where the export of the sweep file `sweepFile` goes for `target`, and its job name. */
export function sweepExportPaths(sweepFile: string, target: string) {
  const jobName = slurmJobName(basename(sweepFile, extname(sweepFile)));
  if (extname(target) === '.py') {
    return {
      script: target,
      sbatch: join(dirname(target), `${basename(target, '.py')}.sbatch`),
      jobName,
    };
  }
  return {
    script: join(target, SWEEP_SCRIPT_NAME),
    sbatch: join(target, `${jobName}.sbatch`),
    jobName,
  };
}

/** Writes the sweep's script and batch file (folders made as needed); returns their paths. */
export async function exportSweep(
  runs: readonly SweepRunConfig[],
  sweepFile: string,
  target: string,
): Promise<SweepExportFiles> {
  const { script, sbatch, jobName } = sweepExportPaths(sweepFile, target);
  const tasks = sweepTasks(runs).length;
  await mkdir(dirname(script), { recursive: true });
  await writeFile(script, sweepScript(runs));
  await writeFile(
    sbatch,
    sweepSbatch({ script: basename(script), sbatch: basename(sbatch), jobName, tasks }),
  );
  return { script, sbatch, tasks };
}
