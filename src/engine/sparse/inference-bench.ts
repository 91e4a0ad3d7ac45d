/**
 * Does pruning make inference faster? Times the forward pass of a network state on the lab's
 * WASM SIMD kernels, dense (every weight) against sparse (CSR where it wins, sparse-net.ts), and
 * tfjs's model.predict on the active backend for reference, at each batch size asked for.
 *
 * Method: one untimed warm-up call of each; then `rounds` rounds, each timing dense, sparse and
 * tfjs one after the other (so a drift of the machine's speed reaches all three alike), each for
 * about `roundMs`: rate = batch * calls / seconds, in samples per second. Reported per batch:
 * every round, the best (the least disturbed) and the median; the measured speed-up is
 * best sparse / best dense (and the medians' ratio). The theoretical speed-up is the compression
 * report's: dense FLOPs / FLOPs with zeros skipped (report.ts: layerReports).
 */
import * as tf from '@tensorflow/tfjs';
import { makeRng } from '../../data/rng';
import type { ModelName } from '../../schema/config';
import { buildModel } from '../models';
import { PrunableNet } from '../prunable-net';
import { denseFlops } from '../report';
import { inferencePlan } from './inference-plan';
import { buildInferenceNet, type InferenceNet, type LayerChoice } from './sparse-net';

/** Samples per second of every round, their best and median. */
export interface RateRounds {
  rounds: number[];
  best: number;
  median: number;
}

export interface BatchTiming {
  batch: number;
  dense: RateRounds;
  sparse: RateRounds;
  /** tfjs's model.predict on the active backend, or null when not asked for. */
  tfjs: RateRounds | null;
  /** best sparse / best dense. */
  speedup: number;
  /** median sparse / median dense. */
  medianSpeedup: number;
}

export interface LayerSpeed extends LayerChoice {
  /** The compression report's theoretical speed-up of this layer: size / alive. */
  theoreticalSpeedup: number;
}

export interface InferenceBenchResult {
  /** Overall sparsity of the prunable weights: 1 - alive / size. */
  sparsity: number;
  /** The compression report's: dense FLOPs / sparse FLOPs over all prunable layers. */
  theoreticalSpeedup: number;
  /** The sparse build's layers: the format each runs in and its density. */
  layers: LayerSpeed[];
  batches: BatchTiming[];
  /** The tfjs backend model.predict ran on, null when it was not timed. */
  tfjsBackend: string | null;
  rounds: number;
  roundMs: number;
}

export interface BenchOptions {
  batches?: readonly number[];
  rounds?: number;
  roundMs?: number;
  /** Also time tfjs's model.predict (default true). */
  tfjs?: boolean;
  /** Awaited between rounds (e.g. to let a worker answer its messages). */
  pause?: () => Promise<void>;
}

/** The median of `values` (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function summary(rounds: number[]): RateRounds {
  return { rounds, best: Math.max(...rounds), median: median(rounds) };
}

/** Samples per second of `run(batch)` called for about `ms` milliseconds (at least twice). */
async function rate(run: () => unknown, batch: number, ms: number): Promise<number> {
  const start = performance.now();
  let calls = 0;
  let now: number;
  do {
    await run();
    calls++;
    now = performance.now();
  } while (now - start < ms || calls < 2);
  return (batch * calls * 1000) / (now - start);
}

/**
 * Times `model` with `weights` (model.weights order) and `masks` (conv and dense kernels, in
 * order): dense and sparse kernels, and tfjs's predict with the same weights loaded.
 * `geometry` gives each kernel's output size for the FLOP count (PrunableNet.kernels).
 */
export async function benchInference(
  model: tf.LayersModel,
  weights: readonly Float32Array[],
  masks: readonly Uint8Array[],
  geometry: readonly { shape: number[]; outputSize: [number, number] }[],
  options: BenchOptions = {},
): Promise<InferenceBenchResult> {
  const batches = options.batches ?? [1, 128];
  const rounds = Math.max(1, options.rounds ?? 5);
  const roundMs = options.roundMs ?? 250;
  const maxBatch = Math.max(...batches);
  const plan = inferencePlan(model, weights, masks);
  const dense = buildInferenceNet(plan, 'dense', { maxBatch });
  const sparse = buildInferenceNet(plan, 'sparse', { maxBatch });
  const [h, w, c] = plan.inputShape;
  const rng = makeRng(1);
  const input = Float32Array.from({ length: maxBatch * h * w * c }, () => rng());

  const flops = geometry.map((g, l) => {
    let alive = 0;
    const mask = masks[l]!;
    for (let i = 0; i < mask.length; i++) alive += mask[i]!;
    const full = denseFlops({ name: '', shape: g.shape, outputSize: g.outputSize });
    return { full, sparse: (full * alive) / mask.length, alive, size: mask.length };
  });
  const flopsDense = flops.reduce((a, f) => a + f.full, 0);
  const flopsSparse = flops.reduce((a, f) => a + f.sparse, 0);
  const alive = flops.reduce((a, f) => a + f.alive, 0);
  const size = flops.reduce((a, f) => a + f.size, 0);

  const withTfjs = options.tfjs ?? true;
  const loaded = withTfjs
    ? model.weights.map((v, i) => tf.tensor(weights[i]!, v.shape as number[]))
    : [];
  const saved = withTfjs ? model.weights.map((v) => v.read().clone()) : [];
  if (withTfjs) model.setWeights(loaded);
  const inputs = withTfjs
    ? batches.map((b) => tf.tensor4d(input.subarray(0, b * h * w * c), [b, h, w, c]))
    : [];
  const predict = (i: number) => async () => {
    const y = model.predict(inputs[i]!) as tf.Tensor;
    await y.data();
    y.dispose();
  };
  const forward = (net: InferenceNet, b: number) => () => net.forward(input, b);

  try {
    const timings: BatchTiming[] = [];
    for (const [i, b] of batches.entries()) {
      const d: number[] = [];
      const s: number[] = [];
      const t: number[] = [];
      forward(dense, b)();
      forward(sparse, b)();
      if (withTfjs) await predict(i)();
      for (let r = 0; r < rounds; r++) {
        await options.pause?.();
        d.push(await rate(forward(dense, b), b, roundMs));
        s.push(await rate(forward(sparse, b), b, roundMs));
        if (withTfjs) t.push(await rate(predict(i), b, roundMs));
      }
      const ds = summary(d);
      const ss = summary(s);
      timings.push({
        batch: b,
        dense: ds,
        sparse: ss,
        tfjs: withTfjs ? summary(t) : null,
        speedup: ss.best / ds.best,
        medianSpeedup: ss.median / ds.median,
      });
    }
    return {
      sparsity: size > 0 ? 1 - alive / size : 0,
      theoreticalSpeedup: flopsSparse > 0 ? flopsDense / flopsSparse : 0,
      layers: sparse.layers.map((l, i) => ({
        ...l,
        theoreticalSpeedup: flops[i]!.sparse > 0 ? flops[i]!.full / flops[i]!.sparse : 0,
      })),
      batches: timings,
      tfjsBackend: withTfjs ? tf.getBackend() : null,
      rounds,
      roundMs,
    };
  } finally {
    if (withTfjs) model.setWeights(saved);
    [...loaded, ...saved, ...inputs].forEach((x) => x.dispose());
  }
}

/**
 * benchInference on a fresh network of `modelName` (built for `imageShape` and `classes`)
 * loaded with the state's weights; the network is disposed afterwards.
 */
export async function benchInferenceOf(
  modelName: ModelName,
  imageShape: [number, number, number],
  classes: number,
  state: { weights: readonly Float32Array[]; masks: readonly Uint8Array[] },
  options: BenchOptions = {},
): Promise<InferenceBenchResult> {
  const net = new PrunableNet(buildModel(modelName, 0, imageShape, classes));
  try {
    return await benchInference(net.model, state.weights, state.masks, net.kernels, options);
  } finally {
    net.dispose();
  }
}
