/**
 * Training throughput of the active backend: the lab's real training step (TrainStep, with
 * masks installed as after a prune) on a fixed random batch resident in the backend, timed in
 * blocks after a warm-up. Each block ends with a read-back, so queued GPU work is counted.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelName } from '../schema/config';
import { buildModel } from './models';
import { PrunableNet } from './prunable-net';
import { TrainStep } from './train';

export interface ThroughputOptions {
  model: ModelName;
  batch: number;
  /** Untimed steps first (compilation, allocation). */
  warmupSteps?: number;
  /** Timed blocks; the result is their median. */
  blocks?: number;
  /** Approximate length of one block in milliseconds. */
  blockMs?: number;
}

export interface Throughput {
  /** Median over blocks of samples / second. */
  samplesPerSecond: number;
  blockRates: number[];
  steps: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function measureThroughput(options: ThroughputOptions): Promise<Throughput> {
  const { model, batch, warmupSteps = 5, blocks = 5, blockMs = 600 } = options;
  const net = new PrunableNet(buildModel(model, 1));
  net.setMasks(net.kernels.map((k) => new Uint8Array(k.size).fill(1)));
  const step = new TrainStep(net, 10, 1e-4);
  const x = tf.randomNormal([batch, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.randomUniform([batch], 0, 10, 'int32', 2) as tf.Tensor1D;
  const sync = () => net.params[0]!.data();
  try {
    for (let i = 0; i < warmupSteps; i++) step.run(x, y, 0.01).dispose();
    await sync();
    const blockRates: number[] = [];
    let steps = 0;
    for (let b = 0; b < blocks; b++) {
      const start = performance.now();
      let n = 0;
      do {
        step.run(x, y, 0.01).dispose();
        n++;
        // Sync every few steps so a GPU queue cannot run far ahead of the clock.
        if (n % 4 === 0) await sync();
      } while (performance.now() - start < blockMs);
      await sync();
      blockRates.push((n * batch) / ((performance.now() - start) / 1000));
      steps += n;
    }
    return { samplesPerSecond: median(blockRates), blockRates, steps };
  } finally {
    step.dispose();
    x.dispose();
    y.dispose();
    net.dispose();
  }
}
