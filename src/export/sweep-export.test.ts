/**
 * A sweep exported for a cluster: the text of its script and Slurm batch file, and the script
 * run with Debian's native PyTorch (/usr/bin/python3, or $PYTHON) on real MNIST images, task by
 * task as Slurm would and then all at once; every results file must import into the lab.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandSweep } from '../cli/sweep';
import { holdOutValidation } from '../data/validation';
import type { Results } from '../schema/results';
import { parseResultsJson } from '../state/results-link';
import { mnistSubset } from '../test/fixtures';
import { writeIdxFiles } from '../test/idx-files';
import { tempDirs } from '../test/temp-dirs';
import { pytorchScript } from './pytorch-script';
import { sweepSbatch, sweepScript, sweepTasks } from './sweep-export';
import { parseConfig } from '../schema/config';

const tempDir = tempDirs();
const python = process.env.PYTHON ?? '/usr/bin/python3';
const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const entry = join(process.cwd(), 'src', 'cli', 'imp.ts');

/** The JSON a script carries in `NAME = json.loads(r"""...""")`. */
function embedded(script: string, name: string): unknown {
  const match = new RegExp(`^${name} = json\\.loads\\(r"""([\\s\\S]*?)"""\\)`, 'm').exec(script);
  return JSON.parse(match![1]!);
}

/** A results file read the way the lab's Import reads one; it must import. */
async function imported(path: string): Promise<Results> {
  const read = parseResultsJson(await readFile(path, 'utf8'), path);
  if ('error' in read) throw new Error(read.error);
  return read.results;
}

const GRID = {
  base: { dataset: 'synthetic', model: 'lenet300', denseEpochs: 1, cycles: 2 },
  grid: { criterion: ['global', 'lamp'], repeats: [1, 3] },
};

describe('Export a sweep to PyTorch and Slurm', () => {
  it('has one array task per run and seed, named as the CLI lays them out', () => {
    const tasks = sweepTasks(expandSweep(GRID));
    expect(tasks.map((t) => t.name)).toEqual([
      '001-criterion=global-repeats=1',
      '002-criterion=global-repeats=3/seed-42',
      '002-criterion=global-repeats=3/seed-43',
      '002-criterion=global-repeats=3/seed-44',
      '003-criterion=lamp-repeats=1',
      '004-criterion=lamp-repeats=3/seed-42',
      '004-criterion=lamp-repeats=3/seed-43',
      '004-criterion=lamp-repeats=3/seed-44',
    ]);
    expect(tasks.map((t) => t.config.seed)).toEqual([42, 42, 43, 44, 42, 42, 43, 44]);
    expect(tasks[2]).toMatchObject({ run: '002-criterion=global-repeats=3', seeds: [42, 43, 44] });
    expect(tasks[2]!.config).toMatchObject({ criterion: 'global', repeats: 3, seed: 43 });
    // The script carries exactly those tasks, and no single experiment.
    const script = sweepScript(expandSweep(GRID));
    expect(embedded(script, 'SWEEP')).toEqual(JSON.parse(JSON.stringify(tasks)));
    expect(embedded(script, 'CONFIG')).toBeNull();
    // The single experiment's script is as before: its config, and no sweep.
    const one = pytorchScript(parseConfig({ criterion: 'lamp' }));
    expect(embedded(one, 'CONFIG')).toEqual(parseConfig({ criterion: 'lamp' }));
    expect(embedded(one, 'SWEEP')).toBeNull();
  });

  it('writes a Slurm batch file with one array index per task', () => {
    const text = sweepSbatch({ script: 'lab.py', sbatch: 'sw.sbatch', jobName: 'sw', tasks: 8 });
    const lines = text.split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines).toContain('#SBATCH --array=0-7');
    expect(lines).toContain('#SBATCH --job-name=sw');
    expect(lines).toContain('#SBATCH --output=%x-%A_%a.out');
    expect(lines).toContain('##SBATCH --gres=gpu:1');
    expect(lines).toContain(
      'python3 lab.py --index "$SLURM_ARRAY_TASK_ID" --out results --threads "${SLURM_CPUS_PER_TASK:-0}" "$@"',
    );
    // Every #SBATCH line comes before the first command, or Slurm ignores it.
    const firstCommand = lines.findIndex((l) => l !== '' && !l.startsWith('#'));
    expect(lines.findLastIndex((l) => l.startsWith('#SBATCH'))).toBeLessThan(firstCommand);
  });

  describe('run with PyTorch', () => {
    let dataDir = '';
    let work = '';
    let script = '';
    const py = (args: string[], env: Record<string, string> = {}) =>
      run(python, [script, '--device', 'cpu', '--threads', '1', '--data-dir', dataDir, ...args], {
        cwd: work,
        env: { ...process.env, ...env },
      });

    beforeAll(async () => {
      // 1,000 training and 200 test images of real MNIST, as IDX files like the originals.
      dataDir = await tempDir('pruning-lab-sweep-data-');
      await writeIdxFiles(dataDir, await mnistSubset(1000, 200));
      // Two configs, the second with two seeds: three array tasks. Exported by the CLI.
      work = await tempDir('pruning-lab-sweep-');
      const sweep = {
        base: {
          dataset: 'mnist',
          model: 'lenet300',
          denseEpochs: 1,
          cycles: 2,
          targetSparsity: 0.8,
          retrainEpochs: 1,
          batchSize: 100,
          criterion: 'lamp',
          validationSplit: 0.1,
        },
        grid: { repeats: [1, 2] },
      };
      await writeFile(join(work, 'tiny.json'), JSON.stringify(sweep));
      const { stdout } = await run(tsx, [
        entry,
        '--sweep',
        join(work, 'tiny.json'),
        '--export-pytorch',
        join(work, 'cluster'),
      ]);
      expect(stdout).toContain('3 array tasks');
      script = join(work, 'cluster', 'pruning_lab_sweep.py');
    }, 60_000);

    it('lists its tasks and writes the batch file beside it', async () => {
      const { stdout } = await py(['--list']);
      expect(stdout.trim().split('\n')).toEqual([
        '0\t001-repeats=1',
        '1\t002-repeats=2/seed-42',
        '2\t002-repeats=2/seed-43',
      ]);
      const sbatch = await readFile(join(work, 'cluster', 'tiny.sbatch'), 'utf8');
      expect(sbatch).toContain('#SBATCH --array=0-2\n');
      expect(sbatch).toContain('#SBATCH --job-name=tiny\n');
    });

    it('holds out the validation images the lab holds out', async () => {
      // 1,000 "images" of two pixels that spell their own index.
      const n = 1000;
      const images = new Uint8Array(2 * n).map((_, i) => (i % 2 ? (i >> 1) & 255 : i >> 9));
      const split = { images, labels: new Uint8Array(n), count: n };
      const data = { name: 'mnist', imageShape: [1, 2, 1], classes: 1, train: split, test: split };
      const lab = holdOutValidation(data as never, 0.1, 42).validation!;
      const held = Array.from(
        { length: lab.count },
        (_, i) => 256 * lab.images[2 * i]! + lab.images[2 * i + 1]!,
      );
      const harness = [
        'import importlib.util, json, sys',
        'spec = importlib.util.spec_from_file_location("twin", sys.argv[1])',
        'twin = importlib.util.module_from_spec(spec); spec.loader.exec_module(twin)',
        'kept, held = twin.validation_split(1000, 0.1, 42)',
        'print(json.dumps([len(kept), held.tolist()]))',
      ].join('\n');
      const { stdout } = await run(python, ['-c', harness, script]);
      expect(JSON.parse(stdout)).toEqual([900, held]);
    });

    it('runs each task as a Slurm array task; every results file imports', async () => {
      const out = join(work, 'by-index');
      await py(['--index', '0', '--out', out]);
      await py(['--index', '1', '--out', out]);
      // Without --index, Slurm's task id.
      const last = await py(['--out', out], { SLURM_ARRAY_TASK_ID: '2' });
      expect(last.stdout).toContain('task 2 of 3: 002-repeats=2/seed-43');

      const first = await imported(join(out, '001-repeats=1', 'results.json'));
      expect(first.environment.runtime).toBe('pytorch');
      expect(first.config).toMatchObject({ criterion: 'lamp', validationSplit: 0.1, seed: 42 });
      // 900 of the 1,000 training images train (100 held out): 9 batches of 100 per epoch.
      expect(first.dense!.iterations).toBe(9);
      const evaluations = [
        first.dense!.final,
        ...first.dense!.epochs,
        ...first.cycles.flatMap((c) => [c.afterPrune, c.afterRetrain!, ...c.epochs]),
      ];
      for (const e of evaluations) expect(e.validationAccuracy).toBeGreaterThan(0);
      expect(first.cycles.map((c) => c.sparsity)).toEqual([
        expect.closeTo(1 - Math.sqrt(0.2), 4),
        expect.closeTo(0.8, 4),
      ]);

      // The run of two seeds: one file per seed, and the run's file with both, as the CLI's.
      const run2 = join(out, '002-repeats=2');
      const seeds = await Promise.all(
        ['seed-42', 'seed-43'].map((s) => imported(join(run2, s, 'results.json'))),
      );
      expect(seeds.map((r) => r.config.seed)).toEqual([42, 43]);
      const both = await imported(join(run2, 'results.json'));
      expect(both.config).toMatchObject({ criterion: 'lamp', repeats: 2, seed: 42 });
      expect(both.repeats!.map((r) => r.config.seed)).toEqual([43]);
      expect(both.cycles).toEqual(seeds[0]!.cycles);
    }, 120_000);

    it('runs every task with --all', async () => {
      const out = join(work, 'all');
      const { stdout } = await py(['--all', '--out', out]);
      expect(stdout.match(/^task \d of 3/gm)).toHaveLength(3);
      for (const name of ['001-repeats=1', '002-repeats=2']) {
        const results = await imported(join(out, name, 'results.json'));
        expect(results.cycles).toHaveLength(2);
      }
    }, 120_000);
  });
});
