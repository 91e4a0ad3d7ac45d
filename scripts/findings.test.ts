import { describe, expect, it } from 'vitest';
import { createExperimentRunner } from '../src/cli/run-experiment';
import { nodeHostEnvironment } from '../src/cli/node-host';
import { parseConfig, type ExperimentConfig } from '../src/schema/config';
import type { Results, RunResults } from '../src/schema/results';
import { tinyConfig } from '../src/test/fixtures';
import { tempDirs } from '../src/test/temp-dirs';
import { createEngineHost } from '../src/worker/engine-host';
import { findingsTables } from './findings';

const tempDir = tempDirs();

describe("docs/findings.md's tables", () => {
  it('find each cell by its whole config and give the mean ± sample std and the verdict', async () => {
    // One real (tiny) run, then copies dressed as the sweep's runs with chosen final accuracies.
    const host = createEngineHost(nodeHostEnvironment());
    const run = createExperimentRunner(host, () => {});
    const real = await run(tinyConfig({ backend: 'wasm', cycles: 1 }), await tempDir('findings-'));
    const seedRun = (settings: Partial<ExperimentConfig>, seed: number, final: number) => {
      const config = parseConfig({ dataset: 'fashion-mnist', repeats: 3, ...settings, seed });
      const last = real.cycles.at(-1)!;
      const afterRetrain = { ...last.afterRetrain!, testAccuracy: final };
      const cycle = { ...last, cycle: config.cycles, afterRetrain };
      return { ...real, config, cycles: [cycle] } as RunResults;
    };
    const experiment = (settings: Partial<ExperimentConfig>, finals: number[]): Results => {
      const [first, ...others] = finals.map((f, i) => seedRun(settings, 42 + i, f));
      return { ...first!, repeats: others };
    };
    const tables = findingsTables([
      experiment({ targetSparsity: 0.98 }, [0.88, 0.882, 0.884]),
      experiment({ targetSparsity: 0.98, criterion: 'uniform' }, [0.87, 0.871, 0.872]),
      // Not in the tables' configs (another batch size): ignored.
      experiment({ targetSparsity: 0.98, criterion: 'lamp', batchSize: 64 }, [0.5, 0.5, 0.5]),
    ]);
    const row = (label: string) => tables.split('\n').find((l) => l.startsWith(`| ${label} |`))!;
    // Global: mean 88.20, std 0.20 (sample, n − 1); uniform: 87.10 ± 0.10, 1.10 below.
    expect(row('global magnitude')).toMatch(/^\| global magnitude \| 88\.20 ± 0\.20 \| {2}\| /);
    expect(row('uniform')).toContain('| 87.10 ± 0.10 | −1.10 (beyond spread) |');
    expect(row('SLR')).toBe('| SLR | — | — | 88.20 ± 0.20 |  |');
    expect(row('LAMP')).toMatch(/^\| LAMP \| — \|/);
    expect(tables).toContain('3 configs, 9 runs');
  }, 60_000);
});
