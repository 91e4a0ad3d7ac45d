import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../data/synthetic';
import { parseConfig } from '../schema/config';
import { tinyConfig } from '../test/fixtures';
import { ImpSession } from './imp-session';
import { plannedSparsity, roundHalfEven } from '../core/prune-math';

const data = syntheticDataset();

async function pruneOnce(
  overrides: Record<string, 'exclude' | number>,
  cycles = 1,
  target = 0.5,
  checked = true,
) {
  const settings = { cycles, targetSparsity: target, retrainEpochs: 0 };
  const config = checked
    ? tinyConfig({ ...settings, layerOverrides: overrides })
    : { ...tinyConfig(settings), layerOverrides: overrides };
  const session = new ImpSession(config, data, { runtime: 'node' });
  await session.trainDense();
  const results = await session.runAll();
  session.dispose();
  return results;
}

describe('per-layer overrides', () => {
  it('an excluded layer stays dense and the others carry the whole budget', async () => {
    const results = await pruneOnce({ fc3: 'exclude' });
    const cycle = results.cycles[0]!;
    expect(cycle.layers.map((l) => l.name)).toEqual(['fc1', 'fc2', 'fc3']);
    expect(cycle.layers[2]!.sparsity).toBe(0);
    // 266,200 weights at 50%: 133,100 survive overall, 1,000 of them in fc3.
    expect(cycle.layers.reduce((a, l) => a + l.alive, 0)).toBe(133100);
    expect(cycle.sparsity).toBe(0.5);
  });

  it('a pinned layer follows its own schedule to its pinned sparsity', async () => {
    const results = await pruneOnce({ fc1: 0.8 }, 2, 0.75);
    const [c1, c2] = results.cycles;
    // After cycle 1 of 2: 1 - 0.2^(1/2); after cycle 2: exactly the pin.
    expect(c1!.layers[0]!.alive).toBe(roundHalfEven((1 - plannedSparsity(0.8, 2, 1)) * 235200));
    expect(c2!.layers[0]!.alive).toBe(roundHalfEven(0.2 * 235200));
    // The other layers take the rest of the budget: 25% of 266,200 survive overall.
    expect(c1!.layers.reduce((a, l) => a + l.alive, 0)).toBe(133100);
    expect(c2!.layers.reduce((a, l) => a + l.alive, 0)).toBe(66550);
  });

  it('a pin that removes more than the budget leaves the other layers alone', async () => {
    // The config refuses this combination (core/override-feasibility.ts); the engine's own rule
    // for one that was not checked still holds.
    expect(() =>
      tinyConfig({ layerOverrides: { fc1: 0.9 }, cycles: 1, targetSparsity: 0.5 }),
    ).toThrow(
      /^Invalid config:\n {2}layerOverrides: cannot reach 50% sparsity: fc1 pinned at 90% keeps only 23,520/,
    );
    const results = await pruneOnce({ fc1: 0.9 }, 1, 0.5, false);
    const cycle = results.cycles[0]!;
    expect(cycle.layers[0]!.alive).toBe(23520);
    expect(cycle.layers.slice(1).map((l) => l.sparsity)).toEqual([0, 0]);
    expect(cycle.sparsity).toBeCloseTo(1 - (23520 + 31000) / 266200, 12);
  });

  it('names an unknown layer and checks values', () => {
    // Caught where the config is read (the CLI, a link), and again by the session.
    expect(() => tinyConfig({ layerOverrides: { conv1: 'exclude' } })).toThrow(
      'layerOverrides.conv1: lenet300 has no prunable layer "conv1" (its layers: fc1, fc2, fc3)',
    );
    const unchecked = { ...tinyConfig(), layerOverrides: { conv1: 'exclude' as const } };
    expect(() => new ImpSession(unchecked, data, { runtime: 'node' })).toThrow(
      'layerOverrides: lenet300 has no prunable layer "conv1" (its layers: fc1, fc2, fc3)',
    );
    expect(() => parseConfig({ layerOverrides: { fc1: 1.2 } })).toThrow(/layerOverrides\.fc1/);
    expect(() => parseConfig({ layerOverrides: { fc1: 'drop' } })).toThrow(/layerOverrides\.fc1/);
    expect(parseConfig({ layerOverrides: { fc3: 'exclude', fc1: 0.95 } }).layerOverrides).toEqual({
      fc3: 'exclude',
      fc1: 0.95,
    });
  });
});
