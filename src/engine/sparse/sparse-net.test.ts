import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAlive, globalMagnitudePrune } from '../../core/prune-math';
import { makeRng } from '../../data/rng';
import type { ModelName } from '../../schema/config';
import { buildModel } from '../models';
import { PrunableNet } from '../prunable-net';
import {
  inferencePlan,
  type ConvStage,
  type DenseStage,
  type InferencePlan,
} from './inference-plan';
import { buildInferenceNet, convCsr, denseCsr } from './sparse-net';

const random = (size: number, seed: number) => {
  const rng = makeRng(seed);
  return Float32Array.from({ length: size }, () => rng());
};

/** max |a - b| / max |b|: the relative error of `a` against the reference `b`. */
function relativeError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}

interface Pruned {
  net: PrunableNet;
  plan: InferencePlan;
}

/** `model` (seed 7) with global magnitude pruning to `sparsity`, and its inference plan. */
async function pruned(model: ModelName, sparsity: number): Promise<Pruned> {
  const net = new PrunableNet(buildModel(model, 7));
  const kernels = await net.kernelValues();
  const { masks } = globalMagnitudePrune(kernels, net.masks, sparsity);
  net.setMasks(masks);
  const plan = inferencePlan(net.model, await net.snapshot(), net.masks);
  return { net, plan };
}

function predict(net: PrunableNet, input: Float32Array, batch: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(input.subarray(0, batch * 784), [batch, 28, 28, 1]);
    return (net.model.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

const SPARSITIES = [0, 0.5, 0.9, 0.98];
const BATCHES = [1, 5, 128];

describe.each(['lenet300', 'lenet5'] as const)('%s on the sparse inference kernels', (model) => {
  const input = random(128 * 784, 11);
  const states = new Map<number, Pruned>();

  beforeAll(async () => {
    for (const s of SPARSITIES) states.set(s, await pruned(model, s));
  });
  afterAll(() => states.forEach((p) => p.net.dispose()));

  it.each(SPARSITIES)(
    'at sparsity %s the CSR and dense kernels equal tfjs predict at batch 1, 5 and 128',
    (sparsity) => {
      const { net, plan } = states.get(sparsity)!;
      const dense = buildInferenceNet(plan, 'dense', { maxBatch: 128 });
      const sparse = buildInferenceNet(plan, 'sparse', { maxBatch: 128 });
      // Every dense layer on CSR, and none: both regimes of every kernel are checked.
      const allCsr = buildInferenceNet(plan, 'sparse', {
        maxBatch: 128,
        csrMaxDensity: { single: 1, batch: 1 },
      });
      expect(allCsr.layers.every((l) => l.single === 'csr' && l.batch === 'csr')).toBe(true);
      expect(dense.layers.every((l) => l.single === 'dense' && l.batch === 'dense')).toBe(true);
      for (const batch of BATCHES) {
        const reference = predict(net, input, batch);
        const d = dense.forward(input, batch);
        expect(d.length).toBe(batch * 10);
        expect(relativeError(d, reference)).toBeLessThan(1e-4);
        expect(relativeError(sparse.forward(input, batch), reference)).toBeLessThan(1e-4);
        expect(relativeError(allCsr.forward(input, batch), d)).toBeLessThan(1e-4);
      }
    },
  );

  it('a batch after a larger one gives the same logits as before it', () => {
    const { plan } = states.get(0.9)!;
    const sparse = buildInferenceNet(plan, 'sparse', { maxBatch: 128 });
    const first = sparse.forward(input, 5);
    sparse.forward(input, 128);
    expect(sparse.forward(input, 5)).toEqual(first);
    // Batch 1 runs other kernels (one vector at a time): the same sums in another order.
    expect(relativeError(sparse.forward(input, 1), first.subarray(0, 10))).toBeLessThan(1e-5);
  });

  it('the CSR of each layer has exactly its mask’s nnz, and the dense build computes all', () => {
    for (const { plan } of states.values()) {
      const sparse = buildInferenceNet(plan, 'sparse', {
        maxBatch: 4,
        csrMaxDensity: { single: 1, batch: 1 },
      });
      const dense = buildInferenceNet(plan, 'dense', { maxBatch: 4 });
      plan.stages.forEach((stage) => {
        if (stage.kind === 'pool') return;
        const alive = countAlive(stage.mask);
        const csr = stage.kind === 'conv' ? convCsr(stage) : denseCsr(stage);
        expect(csr.vals.length).toBe(alive);
        expect(csr.cols.length).toBe(alive);
        expect(csr.rowPtr[csr.rowPtr.length - 1]).toBe(alive);
        expect(sparse.layers.find((l) => l.name === stage.name)!.alive).toBe(alive);
        expect(dense.layers.find((l) => l.name === stage.name)!.alive).toBe(stage.mask.length);
      });
    }
  });
});

describe('CSR from a mask', () => {
  it('keeps an alive weight that is 0 and drops a pruned one that is not', () => {
    const stage: DenseStage = {
      kind: 'dense',
      name: 'fc',
      inputs: 3,
      units: 2,
      relu: false,
      // [in, out]: k = 0 -> (1, 2), k = 1 -> (0, 4), k = 2 -> (5, 6)
      kernel: Float32Array.from([1, 2, 0, 4, 5, 6]),
      bias: new Float32Array(2),
      mask: Uint8Array.from([1, 1, 1, 0, 0, 1]),
      fromPlanes: null,
    };
    const csr = denseCsr(stage);
    expect([...csr.rowPtr]).toEqual([0, 2, 4]);
    expect([...csr.cols]).toEqual([0, 1, 0, 2]);
    expect([...csr.vals]).toEqual([1, 0, 2, 6]);
  });

  it('addresses a conv tap (c, a, b) by its byte offset in the padded input', () => {
    const stage: ConvStage = {
      kind: 'conv',
      name: 'conv',
      kh: 2,
      kw: 2,
      cin: 2,
      cout: 1,
      inH: 3,
      inW: 3,
      padTop: 0,
      padLeft: 0,
      ph: 3,
      pw: 3,
      outH: 2,
      outW: 2,
      relu: false,
      kernel: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
      bias: new Float32Array(1),
      // alive: (a 0, b 0, c 1) = index 1 and (a 1, b 1, c 0) = index 6
      mask: Uint8Array.from([0, 1, 0, 0, 0, 0, 1, 0]),
    };
    const csr = convCsr(stage);
    expect([...csr.rowPtr]).toEqual([0, 2]);
    // By channel first: (c 0, a 1, b 1), then (c 1, a 0, b 0).
    expect([...csr.cols]).toEqual([(1 * 3 + 1) * 4, (1 * 3 * 3 + 0) * 4]);
    expect([...csr.vals]).toEqual([7, 2]);
  });
});

describe('inferencePlan', () => {
  it('refuses a network the kernels cannot run (batch norm, residuals)', () => {
    const net = new PrunableNet(buildModel('resnet8', 1, [8, 8, 3]));
    expect(() => inferencePlan(net.model, [], net.masks)).toThrow();
    net.dispose();
  });

  it('reads LeNet-5: same-padded conv1, pools, valid conv2, flattened planes into fc1', async () => {
    const { net, plan } = await pruned('lenet5', 0);
    expect(plan.stages.map((s) => s.kind)).toEqual([
      'conv',
      'pool',
      'conv',
      'pool',
      'dense',
      'dense',
      'dense',
    ]);
    const conv1 = plan.stages[0] as ConvStage;
    expect([conv1.ph, conv1.pw, conv1.padTop, conv1.outH]).toEqual([32, 32, 2, 28]);
    expect((plan.stages[4] as DenseStage).fromPlanes).toEqual([5, 5, 16]);
    net.dispose();
  });
});
