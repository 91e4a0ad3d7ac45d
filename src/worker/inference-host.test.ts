import { describe, expect, it } from 'vitest';
import { tinyConfig } from '../test/fixtures';
import { nodeHostEnvironment } from '../cli/node-host';
import { createEngineHost } from './engine-host';

describe('the engine host’s inferenceBench', () => {
  it('times a kept state, dense against CSR, beside its compression report’s speed-up', async () => {
    const host = createEngineHost(nodeHostEnvironment());
    await host.configure(tinyConfig()); // 2 cycles to 50%, 75%
    expect(await host.inferenceBench({ cycle: 0 })).toBeNull(); // nothing kept yet
    const results = await host.runAll();
    const quick = { rounds: 2, roundMs: 20 };

    const view = (await host.inferenceBench({ cycle: 2, ...quick }))!;
    expect(view.theoreticalFrom).toBe('report');
    expect(view.theoreticalSpeedup).toBe(results.cycles[1]!.report.total.speedup);
    expect(view.sparsity).toBeCloseTo(results.cycles[1]!.sparsity, 12);
    expect(view.batches.map((b) => b.batch)).toEqual([1, 128]);
    for (const b of view.batches) {
      expect(b.dense.rounds).toHaveLength(2);
      expect(b.sparse.best).toBeGreaterThan(0);
      expect(b.speedup).toBeCloseTo(b.sparse.best / b.dense.best, 12);
      expect(b.tfjs!.best).toBeGreaterThan(0);
    }
    expect(view.layers.map((l) => l.alive)).toEqual(
      results.cycles[1]!.layers.map((l, i) =>
        view.layers[i]!.single === 'csr' || view.layers[i]!.batch === 'csr' ? l.alive : l.size,
      ),
    );

    // The dense state pruned in one shot to 90%: the FLOPs of those masks.
    const shot = (await host.inferenceBench({ cycle: 0, sparsity: 0.9, tfjs: false, ...quick }))!;
    expect(shot.theoreticalFrom).toBe('masks');
    expect(shot.prunedTo).toBe(0.9);
    expect(shot.sparsity).toBeCloseTo(0.9, 4);
    expect(shot.theoreticalSpeedup).toBeCloseTo(10, 2); // an MLP: 1 / (1 - s)
    expect(shot.batches[0]!.tfjs).toBeNull();
    expect(await host.inferenceBench({ cycle: 3 })).toBeNull();
  });
});
