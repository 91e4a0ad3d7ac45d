import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../data/synthetic';
import { mnistSubset, tinyConfig } from '../test/fixtures';
import type { EngineEvent } from './events';
import { ImpSession } from './imp-session';

const data = syntheticDataset();

async function zerosWhereMasked(
  session: ImpSession,
): Promise<{ nonzeroPruned: number; alive: number }> {
  const values = await session.net.kernelValues();
  let nonzeroPruned = 0;
  let alive = 0;
  values.forEach((w, l) => {
    const mask = session.net.masks[l]!;
    for (let i = 0; i < w.length; i++) {
      if (mask[i] === 0 && w[i] !== 0) nonzeroPruned++;
      alive += mask[i]!;
    }
  });
  return { nonzeroPruned, alive };
}

describe('ImpSession', () => {
  it('runs dense training and two cycles to exactly 50% then 75% sparsity', async () => {
    const events: EngineEvent[] = [];
    const session = new ImpSession(tinyConfig(), data, {
      runtime: 'node',
      onEvent: (e) => events.push(e),
    });
    const results = await session.runAll();
    expect(session.status).toEqual({ stage: 'retrained', cycle: 2, cycles: 2, done: true });
    // 266,200 prunable weights: k = 133,100 then 66,550 — no rounding needed.
    expect(results.cycles.map((c) => c.pruned)).toEqual([133100, 66550]);
    expect(results.cycles.map((c) => c.sparsity)).toEqual([0.5, 0.75]);
    expect(results.cycles.map((c) => c.plannedSparsity)).toEqual([0.5, 0.75]);
    for (const cycle of results.cycles) {
      const alive = cycle.layers.reduce((a, l) => a + l.alive, 0);
      expect(alive).toBe(Math.round(266200 * (1 - cycle.sparsity)));
      expect(cycle.afterRetrain).not.toBeNull();
      expect(cycle.epochs).toHaveLength(1);
      expect(cycle.retrainIterations).toBe(16); // floor(1024 / 64)
    }
    // Compression report: dense layers, so FLOPs = 2 * weights; 50% then 75% sparse -> 2x, 4x.
    expect(results.cycles.map((c) => c.report.total.flopsDense)).toEqual([532400, 532400]);
    expect(results.cycles.map((c) => c.report.total.speedup)).toEqual([2, 4]);
    expect(results.cycles[0]!.report.total.storageDenseBytes).toBe(4 * 266200);
    const [c1, c2] = results.cycles;
    const instability = (before: number, after: number) => (before - after) / before;
    expect(c1!.report.instability).toBeCloseTo(
      instability(results.dense!.final.testAccuracy, c1!.afterPrune.testAccuracy),
      12,
    );
    expect(c2!.report.instability).toBeCloseTo(
      instability(c1!.afterRetrain!.testAccuracy, c2!.afterPrune.testAccuracy),
      12,
    );
    for (const c of results.cycles) {
      expect(c.report.total.normDrop).toBeGreaterThan(0);
      expect(c.report.total.normDrop).toBeLessThan(1);
      expect(c.report.layers.map((l) => l.alive)).toEqual(c.layers.map((l) => l.alive));
    }
    expect(results.dense!.iterations).toBe(16);
    const lastDense = results.dense!.epochs.at(-1)!;
    expect(results.dense!.final).toEqual({
      testAccuracy: lastDense.testAccuracy,
      testLoss: lastDense.testLoss,
    });
    expect(results.dense!.final.testAccuracy).toBeGreaterThan(0.3); // chance is 0.1; 1 epoch on this noisy set gives ~0.45
    expect(results.cycles.at(-1)!.afterRetrain!.testAccuracy).toBeGreaterThan(0.3);
    // Epoch counter runs across the phases.
    expect(
      [...results.dense!.epochs, ...results.cycles.flatMap((c) => c.epochs)].map(
        (e) => e.globalEpoch,
      ),
    ).toEqual([1, 2, 3]);
    // Every iteration's rate is recorded: dense and each retraining phase.
    expect(results.dense!.lrSchedule).toHaveLength(results.dense!.iterations);
    expect(results.cycles.map((c) => c.lrSchedule?.length)).toEqual(
      results.cycles.map((c) => c.retrainIterations),
    );
    // Events: progress, and a final status.
    expect(events.some((e) => e.type === 'progress' && e.phase === 'retrain')).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'status', status: session.status });
    session.dispose();
  });

  it('keeps every pruned weight exactly 0 through retraining with momentum', async () => {
    const session = new ImpSession(tinyConfig({ retrainEpochs: 3, lr: 0.3 }), data, {
      runtime: 'node',
    });
    await session.trainDense();
    await session.prune();
    const afterPrune = await zerosWhereMasked(session);
    await session.retrain();
    const afterRetrain = await zerosWhereMasked(session);
    expect(afterPrune).toEqual({ nonzeroPruned: 0, alive: 133100 });
    expect(afterRetrain).toEqual({ nonzeroPruned: 0, alive: 133100 });
    session.dispose();
  });

  it('does not leak tensors from one cycle to the next', async () => {
    const session = new ImpSession(tinyConfig({ cycles: 3, targetSparsity: 0.875 }), data, {
      runtime: 'node',
    });
    await session.trainDense();
    await session.stepCycle();
    const after1 = tf.memory().numTensors;
    await session.stepCycle();
    await session.stepCycle();
    expect(tf.memory().numTensors).toBe(after1);
    session.dispose();
  });

  it('with 0 retrain epochs, prunes only and leaves the weights as pruned', async () => {
    const session = new ImpSession(tinyConfig({ retrainEpochs: 0 }), data, { runtime: 'node' });
    await session.trainDense();
    await session.prune();
    const before = await session.net.kernelValues();
    const results = await session.retrain();
    expect(await session.net.kernelValues()).toEqual(before);
    expect(results.cycles[0]!.afterRetrain).toBeNull();
    expect(results.cycles[0]!.retrainIterations).toBe(0);
    session.dispose();
  });

  it('prunes with the configured criterion: uniform gives every layer the same sparsity', async () => {
    const session = new ImpSession(
      tinyConfig({ criterion: 'uniform', cycles: 1, targetSparsity: 0.5, retrainEpochs: 0 }),
      data,
      { runtime: 'node' },
    );
    await session.trainDense();
    const results = await session.prune();
    expect(results.cycles[0]!.layers.map((l) => l.sparsity)).toEqual([0.5, 0.5, 0.5]);
    expect(results.cycles[0]!.sparsity).toBe(0.5);
    session.dispose();
  });

  it('refuses steps out of order with a clear message', async () => {
    const session = new ImpSession(tinyConfig(), data, { runtime: 'node' });
    await expect(session.prune()).rejects.toThrow(/Train the dense network before pruning/);
    await expect(session.retrain()).rejects.toThrow(/Prune before retraining/);
    await session.trainDense();
    await expect(session.trainDense()).rejects.toThrow(/already trained/);
    await session.prune();
    await expect(session.prune()).rejects.toThrow(/Retrain cycle 1 before pruning again/);
    session.dispose();
  });

  it('rejects a batch larger than the training set', () => {
    expect(
      () => new ImpSession(tinyConfig({ batchSize: 4096 }), data, { runtime: 'node' }),
    ).toThrow(
      /Batch size 4096 is larger than the training set \(1024 images\): set Batch size to 1024 or less/,
    );
  });

  it('is deterministic: same seed, same numbers', async () => {
    const run = async () => {
      const session = new ImpSession(tinyConfig({ cycles: 1, targetSparsity: 0.5 }), data, {
        runtime: 'node',
      });
      const results = await session.runAll();
      session.dispose();
      return [results.dense!.final, results.cycles[0]!.afterPrune, results.cycles[0]!.afterRetrain];
    };
    expect(await run()).toEqual(await run());
  });

  it('pauses between batches, resumes, and stops on abort', async () => {
    const iterations: number[] = [];
    const session = new ImpSession(tinyConfig({ denseEpochs: 4, batchSize: 16 }), data, {
      runtime: 'node',
      progressEveryMs: 0,
      onEvent: (e) => {
        if (e.type === 'progress' && e.iteration !== undefined) iterations.push(e.iteration);
      },
    });
    const running = session.trainDense();
    while (iterations.length < 3) await new Promise((r) => setTimeout(r, 5));
    session.pause();
    await new Promise((r) => setTimeout(r, 150));
    const atPause = iterations.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(iterations.length).toBe(atPause); // nothing trained while paused
    session.resume();
    while (iterations.length < atPause + 3) await new Promise((r) => setTimeout(r, 5));
    session.abort();
    await expect(running).rejects.toThrow(/stopped by a reset/);
    expect(iterations.at(-1)!).toBeLessThan(4 * 64);
    session.dispose();
  });

  it('learns real MNIST: one epoch on 3,000 images reaches well above chance', async () => {
    const mnist = await mnistSubset(3000, 1000);
    const session = new ImpSession(
      tinyConfig({ dataset: 'mnist', denseEpochs: 1, batchSize: 32, lr: 0.05 }),
      mnist,
      { runtime: 'node' },
    );
    const results = await session.trainDense();
    expect(results.dense!.final.testAccuracy).toBeGreaterThan(0.8);
    expect(results.dense!.epochs[0]!.trainLoss).toBeLessThan(1);
    session.dispose();
  });
});
