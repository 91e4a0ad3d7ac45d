/**
 * The cut each prune records per layer (cycles[j].layers[l].prunedMaxAbs and keptMinAbs),
 * checked against the weights the prune saw, sorted here independently of core/inspect.ts.
 */
import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../data/synthetic';
import { resultsSchema } from '../schema/results';
import { tinyConfig } from '../test/fixtures';
import { ImpSession } from './imp-session';

const data = syntheticDataset();

/** |w| of the alive weights of `layers`, ascending. */
function aliveMagnitudes(weights: Float32Array[], masks: readonly Uint8Array[], layers: number[]) {
  const out: number[] = [];
  for (const l of layers) {
    weights[l]!.forEach((w, i) => {
      if (masks[l]![i]) out.push(Math.abs(w));
    });
  }
  return out.sort((a, b) => a - b);
}

describe('the recorded cut of a prune', () => {
  it('global magnitude: the largest |w| removed is the k-th smallest over all layers, the smallest kept the next', async () => {
    const session = new ImpSession(tinyConfig({ criterion: 'global' }), data, {
      runtime: 'node',
    });
    await session.trainDense();
    for (let j = 0; j < 2; j++) {
      const weights = await session.net.kernelValues();
      const masks = session.net.masks.map((m) => m.slice());
      const results = await session.prune();
      const cycle = results.cycles[j]!;
      const sorted = aliveMagnitudes(weights, masks, [0, 1, 2]);
      const k = cycle.pruned;
      expect(k).toBeGreaterThan(0);
      const removed = cycle.layers.map((l) => l.prunedMaxAbs ?? -Infinity);
      const kept = cycle.layers.map((l) => l.keptMinAbs ?? Infinity);
      // One line across all layers: the k-th smallest |w| removed, the (k+1)-th kept.
      expect(Math.max(...removed)).toBe(sorted[k - 1]);
      expect(Math.min(...kept)).toBe(sorted[k]);
      expect(Math.max(...removed)).toBeLessThanOrEqual(Math.min(...kept));
      // Each layer: its own extremes among what it lost and kept.
      cycle.layers.forEach((layer, l) => {
        const lost: number[] = [];
        const stay: number[] = [];
        weights[l]!.forEach((w, i) => {
          if (!masks[l]![i]) return;
          (session.net.masks[l]![i] ? stay : lost).push(Math.abs(w));
        });
        expect(layer.prunedMaxAbs).toBe(lost.length ? Math.max(...lost) : null);
        expect(layer.keptMinAbs).toBe(stay.length ? Math.min(...stay) : null);
      });
      await session.retrain();
    }
    // The file reads back through the schema with the cut in it.
    const parsed = resultsSchema.parse(JSON.parse(JSON.stringify(session.results)));
    expect(parsed.cycles[1]!.layers[0]!.prunedMaxAbs).toBe(
      session.results.cycles[1]!.layers[0]!.prunedMaxAbs,
    );
    session.dispose();
  });

  it("uniform: each layer's cut is its own k_l-th smallest |w|", async () => {
    const session = new ImpSession(tinyConfig({ criterion: 'uniform', retrainEpochs: 0 }), data, {
      runtime: 'node',
    });
    await session.trainDense();
    const weights = await session.net.kernelValues();
    const masks = session.net.masks.map((m) => m.slice());
    const results = await session.prune();
    results.cycles[0]!.layers.forEach((layer, l) => {
      const sorted = aliveMagnitudes(weights, masks, [l]);
      const k = sorted.length - layer.alive;
      expect(layer.prunedMaxAbs).toBe(k > 0 ? sorted[k - 1] : null);
      expect(layer.keptMinAbs).toBe(sorted[k]);
    });
    session.dispose();
  });

  it('a file from before the cut was recorded still reads', () => {
    const session = new ImpSession(tinyConfig(), data, { runtime: 'node' });
    const doc = session.results;
    session.dispose();
    const layer = { name: 'fc1', shape: [784, 300], size: 235200, alive: 117600, sparsity: 0.5 };
    const old = {
      ...doc,
      cycles: [],
      model: { ...doc.model, layers: [layer] },
    };
    expect(resultsSchema.parse(old).model.layers[0]).toEqual(layer);
  });
});
