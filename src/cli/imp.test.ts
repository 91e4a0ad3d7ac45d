import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { resultsSchema, type Results } from '../schema/results';
import { tinyConfig } from '../test/fixtures';
import { tempDirs } from '../test/temp-dirs';
import { createEngineHost } from '../worker/engine-host';
import { nodeHostEnvironment } from './node-host';
import { createExperimentRunner, modelDir } from './run-experiment';

const run = promisify(execFile);
const tempDir = tempDirs();
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const entry = join(process.cwd(), 'src', 'cli', 'imp.ts');

async function imp(config: unknown, flag = '--config', quiet = true) {
  const dir = await tempDir('pruning-lab-cli-');
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, typeof config === 'string' ? config : JSON.stringify(config));
  const out = join(dir, 'out');
  try {
    const args = [entry, flag, configPath, '--out', out, ...(quiet ? ['--quiet'] : [])];
    const { stdout } = await run(tsx, args);
    return { code: 0, stdout, stderr: '', out };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, out };
  }
}

describe('npm run imp', () => {
  it('writes a valid results.json and the model after dense training and every cycle', async () => {
    const result = await imp({
      dataset: 'synthetic',
      model: 'lenet300',
      denseEpochs: 1,
      cycles: 2,
      targetSparsity: 0.75,
      retrainEpochs: 1,
      retrainSchedule: 'llr',
      batchSize: 64,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const results = resultsSchema.parse(
      JSON.parse(await readFile(join(result.out, 'results.json'), 'utf8')),
    );
    expect(results.environment.runtime).toBe('node');
    expect(results.config.retrainSchedule).toBe('llr');
    expect(results.config.lr).toBe(0.1); // omitted keys take the defaults
    expect(results.cycles.map((c) => c.sparsity)).toEqual([0.5, 0.75]);
    for (const dir of ['dense', 'cycle-1', 'cycle-2']) {
      const modelJson = JSON.parse(
        await readFile(join(result.out, 'models', dir, 'model.json'), 'utf8'),
      );
      expect(modelJson.format).toBe('layers-model');
      expect((await stat(join(result.out, 'models', dir, 'weights.bin'))).size).toBe(
        4 * results.model.totalParams,
      );
    }
    // The saved cycle-2 kernel of fc1 is 75%-ish zeros (global pruning spreads it unevenly).
    const weights = new Float32Array(
      (await readFile(join(result.out, 'models', 'cycle-2', 'weights.bin'))).buffer.slice(0),
    );
    const fc1 = weights.subarray(0, 784 * 300);
    const zeros = fc1.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
    expect(zeros / fc1.length).toBeCloseTo(results.cycles[1]!.layers[0]!.sparsity, 6);
  });

  it("logs, writes and reports what the engine host's runAll gives for the same config", async () => {
    const config = tinyConfig({ backend: 'wasm' }); // 2 cycles to 50%, 75%
    const result = await imp(config, '--config', false);
    expect(result.code).toBe(0);
    const host = createEngineHost(nodeHostEnvironment());
    const lines: string[] = [];
    const expected = await createExperimentRunner(host, (line) => lines.push(line))(
      config,
      join(result.out, 'in-process'),
    );
    const timeless = (r: Results) => ({
      ...r,
      environment: { ...r.environment, startedAt: '', computeTimeMs: 0 },
    });
    const written = resultsSchema.parse(
      JSON.parse(await readFile(join(result.out, 'results.json'), 'utf8')),
    );
    expect(timeless(written)).toEqual(timeless(expected));
    for (const cycle of [0, 1, 2]) {
      const files = (await host.modelFiles(cycle))!;
      const dir = modelDir(result.out, cycle);
      expect(await readFile(join(dir, 'model.json'), 'utf8')).toBe(files.modelJson);
      expect(new Uint8Array(await readFile(join(dir, 'weights.bin')))).toEqual(files.weights);
    }
    const untimed = (line: string) => line.replace(/^wrote .* in .* s$/, 'wrote');
    expect(result.stdout.trim().split('\n').map(untimed)).toEqual(lines.map(untimed));
  });

  it('names the bad field and exits 2', async () => {
    const bad = await imp({ targetSparsity: 1.5, retrainSchedule: 'fast' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/targetSparsity: .*0\.999/);
    expect(bad.stderr).toMatch(/retrainSchedule: must be one of ft, lrw, /);
    // Plain words, still naming the field (issue 11).
    const few = await imp({ denseEpochs: 0 });
    expect(few.code).toBe(2);
    expect(few.stderr).toContain('denseEpochs: must be at least 1');
    // Issue 11: overrides that cannot reach the target are refused before anything runs.
    const infeasible = await imp({
      model: 'lenet5',
      targetSparsity: 0.95,
      cycles: 2,
      criterion: 'lamp',
      layerOverrides: { conv1: 'exclude', fc1: 0.8 },
    });
    expect(infeasible.code).toBe(2);
    expect(infeasible.stderr).toContain(
      'layerOverrides: cannot reach 95% sparsity: conv1 excluded and fc1 pinned at 80% keep ' +
        '9,750 weights, more than the 3,074 of 61,470 that 95% leaves; the other layers ' +
        '(conv2, fc2, fc3) hold 13,320 weights, and 95% needs 19,996 more pruned.',
    );
    const unknown = await imp({ epochs: 3 });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/epochs: unknown field/);
    const notJson = await imp('{ nope');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/Cannot read config/);
  });

  it('runs a sweep: one results folder per run, a combined CSV that matches them and a summary over seeds', async () => {
    const result = await imp(
      {
        base: {
          dataset: 'synthetic',
          model: 'lenet300',
          denseEpochs: 1,
          cycles: 2,
          targetSparsity: 0.75,
          batchSize: 64,
          repeats: 2,
        },
        grid: { criterion: ['global', 'uniform'] },
      },
      '--sweep',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const csv = Papa.parse<Record<string, string>>(
      await readFile(join(result.out, 'sweep.csv'), 'utf8'),
      { header: true, skipEmptyLines: true },
    );
    expect(csv.meta.fields!.slice(0, 6)).toEqual([
      'run',
      'criterion',
      'seed',
      'cycle',
      'plannedSparsity',
      'sparsity',
    ]);
    expect(csv.data).toHaveLength(12); // 2 runs x 2 seeds x (dense + 2 cycles)
    const summary = Papa.parse<Record<string, string>>(
      await readFile(join(result.out, 'summary.csv'), 'utf8'),
      { header: true, skipEmptyLines: true },
    ).data;
    for (const name of ['001-criterion=global', '002-criterion=uniform']) {
      const both = resultsSchema.parse(
        JSON.parse(await readFile(join(result.out, name, 'results.json'), 'utf8')),
      );
      expect([both.config.seed, both.repeats![0]!.config.seed]).toEqual([42, 43]);
      const finals = csv.data
        .filter((r) => r.run === name && r.cycle === '2')
        .map((r) => Number(r.accAfterRetrain));
      const final = summary.find(
        (r) => r.run === name && r.cycle === '2' && r.metric === 'accAfterRetrain',
      )!;
      expect(final.criterion).toBe(both.config.criterion);
      expect(Number(final.n)).toBe(2);
      expect(Number(final.mean)).toBeCloseTo((finals[0]! + finals[1]!) / 2, 12);
      expect(Number(final.std)).toBeCloseTo(Math.abs(finals[0]! - finals[1]!) / Math.SQRT2, 12);
      const results = resultsSchema.parse(
        JSON.parse(await readFile(join(result.out, name, 'seed-42', 'results.json'), 'utf8')),
      );
      const rows = csv.data.filter((r) => r.run === name && r.seed === '42');
      expect(rows.map((r) => r.criterion)).toEqual(Array(3).fill(results.config.criterion));
      expect(rows.map((r) => Number(r.sparsity))).toEqual([0, 0.5, 0.75]);
      expect(Number(rows[0]!.accAfterRetrain)).toBe(results.dense!.final.testAccuracy);
      expect(rows.slice(1).map((r) => Number(r.accAfterPrune))).toEqual(
        results.cycles.map((c) => c.afterPrune.testAccuracy),
      );
      expect(rows[0]!.accAfterPrune).toBe('');
    }
    // Uniform gives every layer 75%; global does not.
    const uniform = JSON.parse(
      await readFile(join(result.out, '002-criterion=uniform', 'seed-43', 'results.json'), 'utf8'),
    );
    expect(uniform.cycles[1].layers.map((l: { sparsity: number }) => l.sparsity)).toEqual([
      0.75, 0.75, 0.75,
    ]);
  });

  it('refuses a sweep with a bad run before running any', async () => {
    const bad = await imp({ grid: { cycles: [1, 0] } }, '--sweep');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/run 002-cycles=0: cycles/);
  });

  it('exports the config as a PyTorch script', async () => {
    const dir = await tempDir('pruning-lab-cli-');
    const configPath = join(dir, 'config.json');
    await writeFile(configPath, JSON.stringify({ criterion: 'erk', cycles: 4 }));
    const script = join(dir, 'experiment.py');
    await run(tsx, [entry, '--config', configPath, '--export-pytorch', script, '--quiet']);
    const text = await readFile(script, 'utf8');
    const config = JSON.parse(/CONFIG = json\.loads\(r"""([\s\S]*?)"""\)/.exec(text)![1]!);
    expect(config).toMatchObject({ criterion: 'erk', cycles: 4, targetSparsity: 0.9 });
  });
});
