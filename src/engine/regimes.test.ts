/**
 * The pruning regimes beside plain IMP: weight rewinding, GMP, ALLR retraining, and batch-norm
 * recalibration, each checked against its definition.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { ImageDataset } from '../data/dataset';
import { makeRng } from '../data/rng';
import { syntheticDataset } from '../data/synthetic';
import { tinyConfig } from '../test/fixtures';
import { recalibrateBatchNorm } from './bn-recalibration';
import type { EngineEvent } from './events';
import { gmpPlan, gmpSparsity, isGmpStep } from './gmp';
import { ImpSession } from './imp-session';
import { allrStartLr } from '../core/schedules/allr';
import { denseSchedule } from '../core/schedules/dense';
import { buildModel } from './models';
import { PrunableNet } from './prunable-net';

const data = syntheticDataset();

/** Every model weight on the host, read synchronously (CPU backend). */
const weightsNow = (net: PrunableNet) =>
  net.model.weights.map((w) => Float32Array.from(w.read().dataSync()));

function expectRewound(net: PrunableNet, saved: Float32Array[]) {
  net.model.weights.forEach((w, i) => {
    const variable = w.read();
    const now = variable.dataSync();
    const k = net.kernels.findIndex((kernel) => kernel.variable === variable);
    const mask = k >= 0 ? net.masks[k]! : null;
    let mismatches = 0;
    for (let j = 0; j < now.length; j++) {
      const expected = mask && mask[j] === 0 ? 0 : saved[i]![j]!;
      if (now[j] !== expected) mismatches++;
    }
    expect(mismatches, `${w.name} (${mask ? 'kernel' : 'other'})`).toBe(0);
  });
}

describe('weight rewinding', () => {
  it('to init: after each prune the surviving weights are exactly their initial values', async () => {
    // The initial weights, from an independent model built with the same seed.
    const init = new PrunableNet(buildModel('lenet300', 42));
    const saved = weightsNow(init);
    init.dispose();
    const session = new ImpSession(tinyConfig({ rewind: 'init' }), data, { runtime: 'node' });
    await session.trainDense();
    await session.prune();
    expectRewound(session.net, saved);
    const c1 = session.results.cycles[0]!;
    expect(c1.afterRewind).not.toBeNull();
    // The untrained (rewound) net is far worse than the pruned trained one.
    expect(c1.afterRewind!.testAccuracy).toBeLessThan(c1.afterPrune.testAccuracy);
    await session.retrain();
    await session.prune();
    expectRewound(session.net, saved);
    expect(session.net.sparsity()).toBe(0.75);
    session.dispose();
  });

  it('to epoch k: restores the weights as they were at the end of dense epoch k', async () => {
    let afterEpoch1: Float32Array[] | null = null;
    const session: ImpSession = new ImpSession(
      tinyConfig({ denseEpochs: 2, rewind: 'epoch', rewindEpoch: 1 }),
      data,
      {
        runtime: 'node',
        onEvent: (e: EngineEvent) => {
          // The first epoch's results event comes right after its evaluation.
          if (e.type === 'results' && e.results.dense?.epochs.length === 1 && !afterEpoch1) {
            afterEpoch1 = weightsNow(session.net);
          }
        },
      },
    );
    await session.trainDense();
    const final = weightsNow(session.net);
    expect(afterEpoch1).not.toBeNull();
    expect(final[0]).not.toEqual(afterEpoch1![0]); // epoch 2 changed them
    await session.prune();
    expectRewound(session.net, afterEpoch1!);
    session.dispose();
  });

  it('is refused for an epoch after the dense run', async () => {
    expect(() => tinyConfig({ denseEpochs: 2, rewind: 'epoch', rewindEpoch: 3 })).toThrow(
      /rewindEpoch: must be at most denseEpochs \(2\)/,
    );
  });
});

describe('GMP', () => {
  it('follows the cubic schedule s_t = s_f + (s_i - s_f)(1 - (t - t_0)/(n dt))^3', () => {
    // T = 100, t_0 = 20, t_end = 60, dt = 10 -> n = 4, steps at 20, 30, 40, 50, 60.
    const plan = gmpPlan(100, 0.8, 0.2, 0.6, 10);
    expect(plan).toEqual({ start: 20, every: 10, steps: 4, final: 0.8, initial: 0 });
    const steps = Array.from({ length: 100 }, (_, t) => t).filter((t) => isGmpStep(plan, t));
    expect(steps).toEqual([20, 30, 40, 50, 60]);
    // u = 0, 1/4, 1/2, 3/4, 1: 0.8 (1 - (1 - u)^3)
    const expected = [0, 0.8 * (1 - 27 / 64), 0.8 * (1 - 1 / 8), 0.8 * (1 - 1 / 64), 0.8];
    steps.forEach((t, k) => expect(gmpSparsity(plan, t)).toBeCloseTo(expected[k]!, 15));
    expect(gmpSparsity(plan, 5)).toBe(0);
    expect(gmpSparsity(plan, 99)).toBe(0.8);
    // A window shorter than dt prunes once, straight to s_f.
    const once = gmpPlan(100, 0.5, 0.5, 0.52, 10);
    expect(once.steps).toBe(0);
    expect(gmpSparsity(once, 50)).toBe(0.5);
  });

  it('prunes during one training run to exactly round((1 - s_t) N) survivors at each step', async () => {
    const config = tinyConfig({
      regime: 'gmp',
      denseEpochs: 2, // 2 x 16 = 32 iterations: t_0 = 8, t_end = 24, dt = 4 -> n = 4
      targetSparsity: 0.9,
      gmpStart: 0.25,
      gmpEnd: 0.75,
      gmpEvery: 4,
    });
    const session = new ImpSession(config, data, { runtime: 'node' });
    const results = await session.runAll();
    expect(session.status).toEqual({ stage: 'trained', cycle: 0, cycles: 0, done: true });
    expect(results.cycles).toEqual([]);
    const gmp = results.gmp!;
    expect([gmp.start, gmp.every, gmp.steps]).toEqual([8, 4, 4]);
    expect(gmp.pruneSteps.map((s) => s.iteration)).toEqual([8, 12, 16, 20, 24]);
    const n = 266200;
    const planned = [0, 0.9 * (1 - 27 / 64), 0.9 * (1 - 1 / 8), 0.9 * (1 - 1 / 64), 0.9];
    gmp.pruneSteps.forEach((step, k) => {
      expect(step.plannedSparsity).toBeCloseTo(planned[k]!, 15);
      expect(step.sparsity).toBe(1 - Math.round((1 - planned[k]!) * n) / n);
    });
    expect(session.net.sparsity()).toBeCloseTo(0.9, 12);
    // Pruned weights stay zero to the end of training; the run's epochs carry the sparsity.
    const values = await session.net.kernelValues();
    const revived = values.reduce(
      (a, w, l) => a + w.filter((v, i) => session.net.masks[l]![i] === 0 && v !== 0).length,
      0,
    );
    expect(revived).toBe(0);
    // Epoch 1 is t = 0..15 (last step t = 12), epoch 2 is t = 16..31 (last step t = 24).
    expect(results.dense!.epochs.map((e) => e.sparsity)).toEqual([
      gmp.pruneSteps[1]!.sparsity,
      gmp.pruneSteps[4]!.sparsity,
    ]);
    await expect(session.prune()).rejects.toThrow(/GMP prunes during training/);
    session.dispose();
  });
});

describe('ALLR retraining', () => {
  it('starts each cycle at clip(d / sqrt(s) * lrMax, low, lrMax) from that prune', async () => {
    const config = tinyConfig({ retrainSchedule: 'allr', retrainEpochs: 2 });
    const session = new ImpSession(config, data, { runtime: 'node' });
    const results = await session.runAll();
    const dense = denseSchedule(config.lr, 16, 1);
    results.cycles.forEach((cycle) => {
      // s = the cycle's pruned fraction = 0.5 in both cycles (50% then 75%).
      const start = allrStartLr({
        dense,
        iterations: 32,
        epochs: 2,
        effect: { normDrop: cycle.paramNormDrop!, pruneFraction: 0.5 },
      });
      // E = 2 >= E_orig = 1, so low = lrMax: ALLR starts at lrMax here.
      expect(start).toBe(0.1);
      // W = 3: the cosine warm-up starts at 0 and reaches start at iteration W.
      expect(cycle.lrSchedule![0]).toBe(0);
      expect(cycle.lrSchedule![3]).toBeCloseTo(start, 15);
    });
    session.dispose();
  });

  it('reads d over every weight and bias, so d is below the kernels-only norm drop', async () => {
    const config = tinyConfig({ retrainSchedule: 'allr' });
    const session = new ImpSession(config, data, { runtime: 'node' });
    const results = await session.runAll();
    for (const cycle of results.cycles) {
      // Same pruned weights; the denominator ‖θ‖ also counts the biases, so d is smaller.
      expect(cycle.paramNormDrop!).toBeGreaterThan(0);
      expect(cycle.paramNormDrop!).toBeLessThan(cycle.report.total.normDrop);
    }
    session.dispose();
  });

  it('uses the prune-dependent rate when retraining is short', async () => {
    // Dense 4 epochs = 64 iterations; retrain 1 epoch = 16: low = 0.25 lrMax.
    const config = tinyConfig({ retrainSchedule: 'allr', denseEpochs: 4 });
    const session = new ImpSession(config, data, { runtime: 'node' });
    const results = await session.runAll();
    results.cycles.forEach((cycle) => {
      const d = cycle.paramNormDrop!;
      const expected = Math.min(0.1, Math.max(0.025, (d / Math.sqrt(0.5)) * 0.1));
      // W = 1: lr(0) = 0 (the warm-up's start), lr(1) = η₀, then η₀ (1 − j / 15) down to η₀ / 15.
      const lr = cycle.lrSchedule!;
      expect(lr).toHaveLength(16);
      expect(lr[0]).toBe(0);
      expect(lr[1]).toBeCloseTo(expected, 12);
      expect(lr[15]).toBeCloseTo(expected / 15, 12);
    });
    session.dispose();
  });
});

/** n images of h x w x c whose class sets the mean brightness (learnable, seeded). */
function tinyImages(n: number, h: number, w: number, c: number): ImageDataset {
  const rng = makeRng(5);
  const split = (count: number) => {
    const images = new Uint8Array(count * h * w * c);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      labels[i] = i % 10;
      for (let p = 0; p < h * w * c; p++) {
        images[i * h * w * c + p] = Math.min(255, Math.floor(labels[i]! * 20 + rng() * 80));
      }
    }
    return { images, labels, count };
  };
  return {
    name: 'synthetic',
    imageShape: [h, w, c],
    numClasses: 10,
    mean: 0.5,
    std: 0.25,
    train: split(n),
    test: split(n / 2),
  };
}

describe('batch-norm recalibration', () => {
  it('sets the running mean and variance to the average batch statistics', () => {
    const images = tinyImages(64, 4, 4, 2);
    const input = tf.input({ shape: [4, 4, 2] });
    const bn = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
    const model = tf.model({ inputs: input, outputs: bn.apply(input) as tf.SymbolicTensor });
    // 4 batches of 16 cover all 64 images; the batch order does not change the averages of
    // per-batch means, but the variance is the mean of per-batch (biased) variances.
    const used = recalibrateBatchNorm(model, images, 16, 10, makeRng(3));
    expect(used).toBe(4);
    const [, , movingMean, movingVar] = model.getWeights().map((t) => t.dataSync());
    // Independent: the normalised pixels of channel ch over all images.
    const pixels = (ch: number) => {
      const out: number[] = [];
      for (let i = 0; i < 64; i++) {
        for (let p = 0; p < 16; p++) {
          const v = images.train.images[i * 32 + p * 2 + ch]! / 255;
          out.push((v - images.mean) / images.std);
        }
      }
      return out;
    };
    for (const ch of [0, 1]) {
      const all = pixels(ch);
      const mean = all.reduce((a, b) => a + b, 0) / all.length;
      expect(movingMean![ch]).toBeCloseTo(mean, 5);
      // Mean of batch variances <= overall variance (law of total variance), and close here.
      const variance = all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length;
      expect(movingVar![ch]).toBeLessThanOrEqual(variance + 1e-6);
      expect(movingVar![ch]).toBeGreaterThan(0.5 * variance);
    }
    // The layer's own momentum is left as it was.
    expect((bn as unknown as { momentum: number }).momentum).toBe(0.9);
    model.dispose();
  });

  it('runs after each prune of a ResNet when enabled, and records its effect', async () => {
    const images = tinyImages(64, 4, 4, 1);
    const config = tinyConfig({
      model: 'resnet8',
      bnRecalibration: true,
      batchSize: 16,
      targetSparsity: 0.9,
      cycles: 1,
      retrainEpochs: 0,
    });
    const session = new ImpSession(config, images, { runtime: 'node' });
    const results = await session.runAll();
    const cycle = results.cycles[0]!;
    expect(cycle.afterRecalibration).not.toBeNull();
    expect(cycle.afterRecalibration!.testLoss).not.toBe(cycle.afterPrune.testLoss);
    // BN scales and shifts are never pruned: every kernel mask is on conv/dense kernels.
    expect(results.model.layers.every((l) => !l.name.includes('bn'))).toBe(true);
    expect(cycle.sparsity).toBeCloseTo(0.9, 4);
    // Off: nothing recorded.
    const off = new ImpSession({ ...config, bnRecalibration: false }, images, { runtime: 'node' });
    expect((await off.runAll()).cycles[0]!.afterRecalibration).toBeNull();
    [session, off].forEach((s) => s.dispose());
  });
});

describe('checkpoints', () => {
  it('a run continued from a cycle checkpoint in a new session gives the uninterrupted numbers', async () => {
    const config = tinyConfig({
      cycles: 3,
      targetSparsity: 0.875,
      rewind: 'epoch',
      rewindEpoch: 1,
    });
    const whole = new ImpSession(config, data, { runtime: 'node' });
    const expected = await whole.runAll();
    whole.dispose();

    const first = new ImpSession(config, data, { runtime: 'node' });
    await first.trainDense();
    await first.stepCycle(); // cycle 1
    const checkpoint = structuredClone(await first.checkpoint()); // as stored in IndexedDB
    first.dispose();
    const before = tf.memory().numTensors;
    const second = new ImpSession(config, data, { runtime: 'node' });
    second.restore(checkpoint);
    expect(second.status).toEqual({ stage: 'retrained', cycle: 1, cycles: 3, done: false });
    const resumed = await second.runAll();
    const numbers = (r: typeof expected) =>
      r.cycles.map((c) => [c.pruned, c.afterPrune, c.afterRewind, c.afterRetrain, c.layers]);
    expect(numbers(resumed)).toEqual(numbers(expected));
    // The resumed run keeps its identity (the run list updates the same entry).
    expect(resumed.environment.startedAt).toBe(checkpoint.results.environment.startedAt);
    second.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // Only at a cycle's end, only into a fresh session with the same settings.
    const third = new ImpSession(tinyConfig({ cycles: 2 }), data, { runtime: 'node' });
    expect(() => third.restore(checkpoint)).toThrow(/other settings/);
    await expect(third.checkpoint()).rejects.toThrow(/after dense training or a whole cycle/);
    third.dispose();
  });
});
