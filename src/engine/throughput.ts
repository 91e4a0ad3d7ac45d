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
  /** The images' [height, width, channels]: MNIST's 28 × 28 × 1 unless given (CIFAR: 32 × 32 × 3). */
  input?: readonly [number, number, number];
  /** Untimed steps first (compilation, allocation). */
  warmupSteps?: number;
  /**
   * Untimed steps go on until this many milliseconds have passed too (0: none): the browser
   * compiles WebAssembly first with a quick baseline compiler and only then, once a function
   * has run a while, with its optimizing one.
   */
  warmupMs?: number;
  /** Timed blocks; the result is their median. */
  blocks?: number;
  /** Approximate length of one block in milliseconds. */
  blockMs?: number;
  /** After timing, profile this many steps kernel by kernel (tf.profile; 0: none). */
  profileSteps?: number;
}

/** One kernel's share of a training step, averaged over the profiled steps. */
export interface KernelTime {
  kernel: string;
  inputShapes: (number[] | null)[];
  /** Milliseconds per step (tf.profile's kernel time; calls made inside a kernel count to it). */
  ms: number;
  callsPerStep: number;
}

export interface Throughput {
  /** Median over blocks of samples / second. */
  samplesPerSecond: number;
  blockRates: number[];
  steps: number;
  /** Slowest kernels first, when profiling was asked for. */
  kernels?: KernelTime[];
}

async function profileSteps(steps: number, run: () => void): Promise<KernelTime[]> {
  const totals = new Map<string, KernelTime>();
  for (let i = 0; i < steps; i++) {
    await breathe();
    const info = await tf.profile(run);
    for (const k of info.kernels) {
      const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
      const entry = totals.get(key) ?? {
        kernel: k.name,
        inputShapes: k.inputShapes,
        ms: 0,
        callsPerStep: 0,
      };
      entry.ms += ((await k.kernelTimeMs) as number) / steps;
      entry.callsPerStep += 1 / steps;
      totals.set(key, entry);
    }
  }
  return [...totals.values()].sort((a, b) => b.ms - a.ms);
}

/** Lets the worker's event loop run (its messages, a ping) before going on. */
const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function measureThroughput(options: ThroughputOptions): Promise<Throughput> {
  const { model, batch, warmupSteps = 5, warmupMs = 0, blocks = 5, blockMs = 600 } = options;
  const [h, w, c] = options.input ?? [28, 28, 1];
  const net = new PrunableNet(buildModel(model, 1, [h, w, c]));
  net.setMasks(net.kernels.map((k) => new Uint8Array(k.size).fill(1)));
  const step = new TrainStep(net, 10, 1e-4);
  const x = tf.randomNormal([batch, h, w, c], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.randomUniform([batch], 0, 10, 'int32', 2) as tf.Tensor1D;
  const sync = () => net.params[0]!.data();
  try {
    // Between untimed steps and between blocks (outside the timing) the worker answers its
    // messages: a CIFAR-sized CNN's step takes seconds, and the page takes a worker that does
    // not answer its ping for 15 s for dead.
    const warmupStart = performance.now();
    for (let i = 0; i < warmupSteps || performance.now() - warmupStart < warmupMs; i++) {
      step.run(x, y, 0.01).dispose();
      await sync();
      await breathe();
    }
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
      await breathe();
    }
    const kernels = options.profileSteps
      ? await profileSteps(options.profileSteps, () => step.run(x, y, 0.01).dispose())
      : undefined;
    return {
      samplesPerSecond: median(blockRates),
      blockRates,
      steps,
      ...(kernels ? { kernels } : {}),
    };
  } finally {
    step.dispose();
    x.dispose();
    y.dispose();
    net.dispose();
  }
}
