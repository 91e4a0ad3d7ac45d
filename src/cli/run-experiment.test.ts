import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SYNTHETIC_TEST, SYNTHETIC_TRAIN } from '../data/synthetic';
import { tempDirs } from '../test/temp-dirs';
import { tinyConfig } from '../test/fixtures';
import { createEngineHost } from '../worker/engine-host';
import { nodeHostEnvironment } from './node-host';
import { createExperimentRunner, modelDir } from './run-experiment';

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
