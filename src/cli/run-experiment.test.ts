import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SYNTHETIC_TEST, SYNTHETIC_TRAIN } from '../data/synthetic';
import { tempDirs } from '../test/temp-dirs';
import { tinyConfig } from '../test/fixtures';
import { createEngineHost } from '../worker/engine-host';
import { nodeHostEnvironment } from './node-host';
import Papa from 'papaparse';
import type { Results } from '../schema/results';
import { parseResultsJson } from '../state/results-link';
import { createExperimentRunner, modelDir, runRepeats } from './run-experiment';

const tempDir = tempDirs();

describe('the CLI run loop', () => {
  it("runs the engine host's runAll and writes each checkpoint's model files as the host has them", async () => {
    const host = createEngineHost(nodeHostEnvironment());
    const runAll = vi.spyOn(host, 'runAll');
    const stepCycle = vi.spyOn(host, 'stepCycle');
    const trainDense = vi.spyOn(host, 'trainDense');
    const written: string[] = [];
    const lines: string[] = [];
    // Each checkpoint's files are on disk before the run goes on: the next cycle's first
    // event finds them there.
    host.subscribe((event) => {
      if (event.type === 'progress' && event.phase === 'prune') {
        written.push(`cycle ${event.cycle} starts, models so far: ${lines.length - 2}`);
      }
    });
    const out = join(await tempDir('pruning-lab-run-'), 'out');
    const run = createExperimentRunner(host, (line) => lines.push(line));
    const results = await run(tinyConfig({ backend: 'wasm' }), out); // 2 cycles to 50%, 75%

    expect(runAll).toHaveBeenCalledTimes(1);
    expect(stepCycle).not.toHaveBeenCalled();
    expect(trainDense).not.toHaveBeenCalled();
    expect(written).toEqual([
      'cycle 1 starts, models so far: 1',
      'cycle 2 starts, models so far: 2',
    ]);
    for (const cycle of [0, 1, 2]) {
      const files = (await host.modelFiles(cycle))!;
      const dir = modelDir(out, cycle);
      expect(await readFile(join(dir, 'model.json'), 'utf8')).toBe(files.modelJson);
      expect(new Uint8Array(await readFile(join(dir, 'weights.bin')))).toEqual(files.weights);
    }
    expect(modelDir(out, 0)).toBe(join(out, 'models', 'dense'));
    expect(modelDir(out, 2)).toBe(join(out, 'models', 'cycle-2'));
    expect(JSON.parse(await readFile(join(out, 'results.json'), 'utf8'))).toEqual(results);

    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    const [c1, c2] = results.cycles;
    expect(lines.slice(0, -1)).toEqual([
      'backend: wasm (wasm: WASM can train lenet300)',
      `data: synthetic, ${SYNTHETIC_TRAIN} train / ${SYNTHETIC_TEST} test images`,
      `dense: test accuracy ${pct(results.dense!.final.testAccuracy)}`,
      `cycle 1: sparsity 50.00%, after prune ${pct(c1!.afterPrune.testAccuracy)}, after retrain ${pct(c1!.afterRetrain!.testAccuracy)}`,
      `cycle 2: sparsity 75.00%, after prune ${pct(c2!.afterPrune.testAccuracy)}, after retrain ${pct(c2!.afterRetrain!.testAccuracy)}`,
    ]);
    expect(lines.at(-1)).toMatch(/^wrote .*results\.json in \d+\.\d s$/);
  });
});

describe('repeats in the CLI', () => {
  it('runs seed, seed + 1, seed + 2, keeps every run and writes their mean and std per cycle', async () => {
    const host = createEngineHost(nodeHostEnvironment());
    const out = join(await tempDir('pruning-lab-repeats-'), 'out');
    const run = createExperimentRunner(host, () => {});
    const config = tinyConfig({ backend: 'wasm', repeats: 3, seed: 7 });
    const results = await runRepeats(run, config, out, () => {});

    const runs: Results[] = [results, ...results.repeats!];
    expect(runs.map((r) => r.config.seed)).toEqual([7, 8, 9]);
    expect(results.repeats).toHaveLength(2);
    expect(results.repeats!.every((r) => !('repeats' in r))).toBe(true);
    // Each seed's own run is on disk, and is the run the combined file keeps.
    for (const [i, seed] of [7, 8, 9].entries()) {
      const own = JSON.parse(await readFile(join(out, `seed-${seed}`, 'results.json'), 'utf8'));
      // toEqual passes over the undefined key: the first seed's run without the others.
      expect(own).toEqual(i === 0 ? { ...results, repeats: undefined } : runs[i]);
      expect(
        await readFile(join(modelDir(join(out, `seed-${seed}`), 2), 'model.json'), 'utf8'),
      ).toContain('"modelTopology"');
    }
    // Different seeds, different runs.
    const finals = runs.map((r) => r.cycles[1]!.afterRetrain!.testAccuracy);
    expect(new Set(runs.map((r) => r.dense!.final.testLoss)).size).toBe(3);
    expect(parseResultsJson(await readFile(join(out, 'results.json'), 'utf8'), 'it')).toEqual({
      results,
    });

    // summary.csv against a direct computation from the three runs.
    const rows = Papa.parse<Record<string, string>>(
      await readFile(join(out, 'summary.csv'), 'utf8'),
      { header: true, skipEmptyLines: true },
    ).data;
    const row = (cycle: number, metric: string) =>
      rows.find((r) => r.cycle === String(cycle) && r.metric === metric)!;
    const mean = finals.reduce((a, b) => a + b, 0) / 3;
    const std = Math.sqrt(finals.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
    const last = row(2, 'accAfterRetrain');
    expect(Number(last.n)).toBe(3);
    expect(Number(last.mean)).toBeCloseTo(mean, 12);
    expect(Number(last.std)).toBeCloseTo(std, 12);
    expect(Number(last.min)).toBe(Math.min(...finals));
    expect(Number(last.max)).toBe(Math.max(...finals));
    const dense = runs.map((r) => r.dense!.final.testAccuracy);
    expect(Number(row(0, 'accAfterRetrain').mean)).toBeCloseTo(
      dense.reduce((a, b) => a + b, 0) / 3,
      12,
    );
    // Measured points only: no prune before cycle 1, and the planned sparsity has no spread.
    expect(rows.some((r) => r.cycle === '0' && r.metric === 'accAfterPrune')).toBe(false);
    expect(Number(row(1, 'plannedSparsity').std)).toBe(0);
    expect(Number(row(1, 'plannedSparsity').mean)).toBeCloseTo(0.5, 12);
  }, 120_000);
});
