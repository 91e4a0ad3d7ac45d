/**
 * Export to PyTorch, tested by running it: the exported script runs with Debian's native
 * PyTorch (/usr/bin/python3, or $PYTHON) on tiny configs, from an empty folder, and its
 * per-cycle sparsities must equal the lab's exactly; its accuracies, loosely.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ImageDataset } from '../data/dataset';
import { syntheticDataset } from '../data/synthetic';
import { ImpSession } from '../engine/imp-session';
import { parseConfig, type ExperimentConfig } from '../schema/config';
import type { Results } from '../schema/results';
import { mnistSubset } from '../test/fixtures';
import { writeIdxFiles } from '../test/idx-files';
import { tempDirs } from '../test/temp-dirs';
import { parseResultsJson } from '../state/results-link';
import { pytorchScript } from './pytorch-script';

const tempDir = tempDirs();

const python = process.env.PYTHON ?? '/usr/bin/python3';
const run = promisify(execFile);

/**
 * Writes the script to an empty folder and runs it there; returns its results file, read the
 * way the lab's Import reads one (the results schema, then the model's layers): it must import.
 */
async function runExported(config: ExperimentConfig, args: string[] = []): Promise<Results> {
  const dir = await tempDir('pruning-lab-torch-');
  const script = join(dir, 'experiment.py');
  await writeFile(script, pytorchScript(config));
  await run(python, [script, '--device', 'cpu', '--threads', '1', '--out', 'out.json', ...args], {
    cwd: dir,
  });
  const read = parseResultsJson(await readFile(join(dir, 'out.json'), 'utf8'), 'out.json');
  if ('error' in read) throw new Error(read.error);
  expect(read.results.environment.runtime).toBe('pytorch');
  expect(read.results.config).toEqual(config);
  return read.results;
}

/**
 * What the lab and its PyTorch twin must agree on exactly whatever the weights: the layers,
 * the counts of each prune, the epochs, and each layer's dense FLOPs and storage.
 */
function structure(r: Results) {
  return {
    model: r.model.layers,
    dense: r.dense && [r.dense.iterations, r.dense.epochs.map((e) => [e.phase, e.globalEpoch])],
    cycles: r.cycles.map((c) => ({
      cycle: c.cycle,
      sparsity: c.sparsity,
      pruned: c.pruned,
      layers: c.layers.map((l) => [l.name, l.shape, l.size]),
      retrainIterations: c.retrainIterations,
      epochs: c.epochs.map((e) => [e.phase, e.cycle, e.epoch, e.globalEpoch]),
      dense: c.report.layers.map((l) => [l.name, l.flopsDense, l.storageDenseBytes]),
    })),
  };
}

/** The report of each cycle follows from its own alive counts, as the lab computes it. */
function expectReportOfItsMasks(r: Results) {
  for (const c of r.cycles) {
    c.report.layers.forEach((l, i) => {
      const layer = c.layers[i]!;
      expect(l.alive).toBe(layer.alive);
      expect(l.flopsSparse).toBeCloseTo((l.flopsDense * layer.alive) / layer.size, 6);
      const rows = layer.size / layer.shape.at(-1)!;
      expect(l.storageCsrBytes).toBe(8 * layer.alive + 4 * (rows + 1));
      expect(l.storageBitmaskBytes).toBe(Math.ceil(layer.size / 8) + 4 * layer.alive);
    });
    const sum = (k: 'flopsDense' | 'flopsSparse') => c.report.layers.reduce((a, l) => a + l[k], 0);
    expect(c.report.total.speedup).toBeCloseTo(sum('flopsDense') / sum('flopsSparse'), 9);
  }
}

async function runLab(config: ExperimentConfig, data: ImageDataset): Promise<Results> {
  const session = new ImpSession(config, data, { runtime: 'node' });
  try {
    return await session.runAll();
  } finally {
    session.dispose();
  }
}

const layerSparsities = (c: { layers: { sparsity: number }[] }) => c.layers.map((l) => l.sparsity);

describe('Export to PyTorch', () => {
  it('is a script with the config inside that says how to run it', () => {
    const config = parseConfig({ layerOverrides: { fc3: 'exclude' }, criterion: 'lamp' });
    const script = pytorchScript(config);
    expect(script.startsWith('#!/usr/bin/env python3')).toBe(true);
    expect(script).toContain('import torch.nn.utils.prune as prune');
    const json = /CONFIG = json\.loads\(r"""([\s\S]*?)"""\)/.exec(script)![1]!;
    expect(JSON.parse(json)).toEqual(config);
  });

  it('reproduces an IMP run on real MNIST images: same sparsities, similar accuracy', async () => {
    // 2,000 training and 500 test images, as IDX files like the originals.
    const data = await mnistSubset(2000, 500);
    const dir = await tempDir('pruning-lab-mnist-');
    await writeIdxFiles(dir, data);
    const config = parseConfig({
      dataset: 'mnist',
      model: 'lenet300',
      denseEpochs: 2,
      cycles: 3, // p = 1 - 0.1^(1/3): k needs rounding every cycle
      targetSparsity: 0.9,
      retrainEpochs: 1,
      retrainSchedule: 'allr',
      batchSize: 64,
    });
    const [lab, torch] = await Promise.all([
      runLab(config, data),
      runExported(config, ['--data-dir', dir]),
    ]);
    expect(torch.cycles.map((c) => c.sparsity)).toEqual(lab.cycles.map((c) => c.sparsity));
    expect(torch.cycles.map((c) => c.pruned)).toEqual(lab.cycles.map((c) => c.pruned));
    // Its results file is the lab's: the same layers, counts, epochs and report of its masks.
    expect(structure(torch)).toEqual(structure(lab));
    expectReportOfItsMasks(torch);
    // By hand (Python): p = 1 - 0.1^(1/3); k = round(p * alive) on 266,200, then the rest.
    expect(lab.cycles.map((c) => c.pruned)).toEqual([142641, 66208, 30731]);
    // Both learn (chance is 10%) and end close to each other.
    expect(torch.dense!.final.testAccuracy).toBeGreaterThan(0.75);
    expect(Math.abs(torch.dense!.final.testAccuracy - lab.dense!.final.testAccuracy)).toBeLessThan(
      0.08,
    );
    const last = (r: { cycles: { afterRetrain: { testAccuracy: number } | null }[] }) =>
      r.cycles.at(-1)!.afterRetrain!.testAccuracy;
    expect(Math.abs(last(torch) - last(lab))).toBeLessThan(0.08);
  });

  it.each([
    ['lamp', { fc3: 'exclude', fc2: 0.6 }],
    ['uniformPlus', { fc3: 'exclude' }],
  ] as const)('reproduces %s with overrides %j, layer by layer', async (criterion, overrides) => {
    const config = parseConfig({
      dataset: 'synthetic',
      model: 'lenet300',
      denseEpochs: 1,
      cycles: 2,
      targetSparsity: 0.8,
      retrainEpochs: 0,
      criterion,
      layerOverrides: overrides,
      batchSize: 64,
    });
    const [lab, torch] = await Promise.all([
      runLab(config, syntheticDataset()),
      runExported(config),
    ]);
    expect(torch.cycles.map((c) => c.sparsity)).toEqual(lab.cycles.map((c) => c.sparsity));
    expect(torch.cycles.map(layerSparsities)).toEqual(lab.cycles.map(layerSparsities));
    // Same masks' counts: the same compression report, to the byte and the FLOP.
    const report = (r: Results) =>
      r.cycles.map((c) => [
        c.report.layers.map(({ normDrop: _, ...l }) => l),
        c.report.total.speedup,
      ]);
    expect(report(torch)).toEqual(report(lab));
    expect(structure(torch)).toEqual(structure(lab));
    expect(lab.cycles[1]!.layers[2]!.sparsity).toBe(0); // excluded
    if (criterion === 'lamp') expect(lab.cycles[1]!.layers[1]!.sparsity).toBe(0.6); // pinned
  });

  it('reproduces GMP with ERK: the sparsity at every pruning step', async () => {
    const config = parseConfig({
      dataset: 'synthetic',
      model: 'lenet300',
      regime: 'gmp',
      denseEpochs: 2,
      targetSparsity: 0.95,
      gmpStart: 0.2,
      gmpEnd: 0.8,
      gmpEvery: 3,
      criterion: 'erk',
      batchSize: 64,
    });
    const [lab, torch] = await Promise.all([
      runLab(config, syntheticDataset()),
      runExported(config),
    ]);
    const steps = (r: { gmp: { pruneSteps: { iteration: number; sparsity: number }[] } | null }) =>
      r.gmp!.pruneSteps.map((s) => [s.iteration, s.sparsity]);
    expect(steps(torch)).toEqual(steps(lab));
    expect(steps(lab)).toHaveLength(7); // t_0 = 6, t_end = 25, dt = 3: t = 6, 9, ..., 24
    expect(steps(lab).at(-1)![1]).toBeCloseTo(0.95, 5);
  });
});
