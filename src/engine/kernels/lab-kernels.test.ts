import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildKernelsModule, KERNELS_MODULE } from '../../../scripts/build-kernels';
import { makeRng } from '../../data/rng';
import { instantiateLabKernels, labKernels, setWasmBackend } from './lab-kernels';
import { LAB_KERNELS_SHARED_WASM, LAB_KERNELS_WASM } from './lab-kernels.wasm';
import { registerWasmTrainingKernels } from './wasm-training';

const bytes = (base64: string) => Buffer.from(base64, 'base64');

/** Section ids of a WebAssembly binary (11 = data, 12 = data count). */
function sectionIds(binary: Uint8Array): number[] {
  const ids: number[] = [];
  let at = 8; // magic and version
  while (at < binary.length) {
    const id = binary[at++]!;
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = binary[at++]!;
      size |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    ids.push(id);
    at += size;
  }
  return ids;
}

describe('the SIMD kernel module', () => {
  it('is up to date with assembly/lab-kernels.ts', async () => {
    expect(await readFile(KERNELS_MODULE, 'utf8')).toBe(await buildKernelsModule());
  }, 60_000);

  it.each([
    ['plain', LAB_KERNELS_WASM, false],
    ['shared', LAB_KERNELS_SHARED_WASM, true],
  ] as const)(
    'the %s build imports only a memory and writes nothing into it when instantiated',
    (_, base64, shared) => {
      const module = new WebAssembly.Module(bytes(base64));
      expect(WebAssembly.Module.imports(module)).toEqual([
        { module: 'env', name: 'memory', kind: 'memory' },
      ]);
      const ids = sectionIds(bytes(base64));
      expect(ids).not.toContain(11);
      expect(ids).not.toContain(12);
      // It links against a memory of that kind (tfjs's threaded build has a shared one).
      const memory = new WebAssembly.Memory(
        shared ? { initial: 1, maximum: 65536, shared: true } : { initial: 1 },
      );
      new Uint8Array(memory.buffer).fill(7);
      expect(() => instantiateLabKernels(memory)).not.toThrow();
      expect(new Uint8Array(memory.buffer).every((b) => b === 7)).toBe(true);
    },
  );

  it('col2im adds every patch back in place, for strides and padding (shared memory)', () => {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
    const kernels = instantiateLabKernels(memory);
    const heap = new Float32Array(memory.buffer);
    const rng = makeRng(3);
    // n=2, 7x6 input, 3 channels, 3x2 kernel, stride (2, 1), padding top 1, left 1.
    const [n, inH, inW, c, kh, kw, sH, sW, top, left] = [2, 7, 6, 3, 3, 2, 2, 1, 1, 1];
    const outH = Math.floor((inH + 2 * top - kh) / sH) + 1;
    const outW = Math.floor((inW + left - kw) / sW) + 1;
    const patch = kh * kw * c;
    const cols = Float32Array.from({ length: n * outH * outW * patch }, () => rng() - 0.5);
    heap.set(cols, 0);
    const dxAt = cols.length + 16;
    heap.fill(99, dxAt, dxAt + n * inH * inW * c); // must be cleared
    kernels.col2im(0, dxAt * 4, n, inH, inW, c, outH, outW, kh, kw, sH, sW, top, left);
    const expected = new Float32Array(n * inH * inW * c);
    for (let m = 0; m < n; m++)
      for (let i = 0; i < outH; i++)
        for (let j = 0; j < outW; j++)
          for (let a = 0; a < kh; a++)
            for (let b = 0; b < kw; b++)
              for (let d = 0; d < c; d++) {
                const r = i * sH + a - top;
                const q = j * sW + b - left;
                if (r < 0 || r >= inH || q < 0 || q >= inW) continue;
                expected[((m * inH + r) * inW + q) * c + d]! +=
                  cols[(((m * outH + i) * outW + j) * kh + a) * kw * c + b * c + d]!;
              }
    const actual = heap.subarray(dxAt, dxAt + expected.length);
    expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 5));
  });
});

describe('convForwardC1 and reluGrad', () => {
  it.each([
    // n, ph, pw (padded), kh, kw, co, bias, relu: LeNet-5's first layer; 1-8 channels in a
    // block and two blocks; rows that are not a multiple of 4 outputs (the overlapping group).
    [2, 32, 32, 5, 5, 6, true, true],
    [1, 9, 11, 3, 3, 3, false, false],
    [2, 6, 6, 2, 3, 1, true, false],
    [1, 7, 10, 3, 2, 12, false, true],
    [1, 5, 8, 1, 1, 7, true, true],
    [1, 6, 9, 3, 3, 8, true, false],
  ] as const)(
    'n %i, %i x %i padded, %i x %i filter, %i channels (bias %s, relu %s) matches a plain loop',
    (n, ph, pw, kh, kw, co, withBias, relu) => {
      const memory = new WebAssembly.Memory({ initial: 16 });
      const kernels = instantiateLabKernels(memory);
      const heap = new Float32Array(memory.buffer);
      const rng = makeRng(ph * 31 + co);
      const [outH, outW] = [ph - kh + 1, pw - kw + 1];
      const x = Float32Array.from({ length: n * ph * pw }, () => rng() - 0.5);
      const w = Float32Array.from({ length: kh * kw * co }, () => rng() - 0.5);
      const bias = Float32Array.from({ length: co }, () => rng() - 0.5);
      const [wAt, biasAt, yAt] = [
        x.length + 4,
        x.length + w.length + 8,
        x.length + w.length + co + 12,
      ];
      heap.set(x, 0);
      heap.set(w, wAt);
      heap.set(bias, biasAt);
      const size = n * outH * outW * co;
      heap.fill(99, yAt, yAt + size + 4); // every output written, nothing past the end
      kernels.convForwardC1(
        0,
        wAt * 4,
        withBias ? biasAt * 4 : 0,
        relu ? 1 : 0,
        yAt * 4,
        n,
        ph,
        pw,
        outH,
        outW,
        kh,
        kw,
        co,
      );
      const actual = heap.subarray(yAt, yAt + size);
      let zeros = 0;
      for (let m = 0; m < n; m++)
        for (let i = 0; i < outH; i++)
          for (let j = 0; j < outW; j++)
            for (let o = 0; o < co; o++) {
              let sum = withBias ? bias[o]! : 0;
              for (let a = 0; a < kh; a++)
                for (let b = 0; b < kw; b++)
                  sum += x[(m * ph + i + a) * pw + j + b]! * w[(a * kw + b) * co + o]!;
              if (relu) sum = Math.max(0, sum);
              if (sum === 0) zeros++;
              expect(actual[((m * outH + i) * outW + j) * co + o]).toBeCloseTo(sum, 5);
            }
      expect(Array.from(heap.subarray(yAt + size, yAt + size + 4))).toEqual([99, 99, 99, 99]);
      if (relu) expect(zeros).toBeGreaterThan(0);
    },
  );

  it('reluGrad passes dy where y > 0 and 0 elsewhere, also past the last whole vector', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const kernels = instantiateLabKernels(memory);
    const heap = new Float32Array(memory.buffer);
    const len = 23;
    const dy = Float32Array.from({ length: len }, (_, i) => i + 1);
    const y = Float32Array.from({ length: len }, (_, i) => [0, 0.5, -0, 2][i % 4]!);
    heap.set(dy, 0);
    heap.set(y, 32);
    heap.fill(99, 64, 64 + len + 1);
    kernels.reluGrad(0, 32 * 4, 64 * 4, len);
    expect(Array.from(heap.subarray(64, 64 + len + 1))).toEqual([
      ...Array.from(dy, (v, i) => (y[i]! > 0 ? v : 0)),
      99,
    ]);
  });
});

describe('WASM Add, Sum and Identity replacements', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await setWasmBackend();
  });
  afterAll(() => tf.setBackend('cpu'));

  const random = (shape: number[], seed: number) => {
    const rng = makeRng(seed);
    return tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1),
      shape,
    );
  };
  const onBoth = async (f: () => tf.Tensor) => {
    await tf.setBackend('cpu');
    const reference = tf.tidy(() => f().dataSync());
    const shapeCpu = tf.tidy(() => f().shape);
    await setWasmBackend();
    const wasm = tf.tidy(() => f().dataSync());
    const shape = tf.tidy(() => f().shape);
    expect(shape).toEqual(shapeCpu);
    expect(wasm.length).toBe(reference.length);
    reference.forEach((v, i) => expect(wasm[i]).toBeCloseTo(v, 4));
  };

  it('uses them (Node has the plain heap)', () => {
    expect(labKernels()).not.toBeNull();
  });

  it('clones share data until the last reference goes', () => {
    const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
    const before = backend.numDataIds();
    const a = tf.tensor([1, 2, 3]);
    const b = tf.clone(a);
    expect(backend.numDataIds()).toBe(before + 1);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
    expect(backend.numDataIds()).toBe(before);
  });

  it.each([
    [[5, 6], [6]],
    [[2, 3, 3, 16], [16]],
    [[4, 3], [3]],
    [[7, 1], [1]],
    [
      [3, 4],
      [1, 4],
    ], // not a 1-D bias: the general kernel
    [[4], [4]],
  ])('x %j + bias %j matches the CPU backend', async (xs, bs) => {
    await onBoth(() => tf.add(random(xs, 1), random(bs, 2)));
  });

  it('sums a conv bias gradient (50,176 rows) as precisely as float64 allows', async () => {
    const x = random([64, 28, 28, 6], 3);
    const values = x.dataSync();
    const exact = new Float64Array(6);
    const magnitude = new Float64Array(6);
    values.forEach((v, i) => {
      exact[i % 6]! += v;
      magnitude[i % 6]! += Math.abs(v);
    });
    const sums = tf.sum(x, [0, 1, 2]).dataSync();
    x.dispose();
    // Far tighter than the worst case of a float32 running sum (rows x 2^-24 ≈ 3e-3 of it).
    sums.forEach((v, d) => expect(Math.abs(v - exact[d]!)).toBeLessThan(1e-7 * magnitude[d]!));
  });

  it.each([
    [[8, 28, 28, 6], [0, 1, 2], false],
    [[9, 5], [0], true],
    [[3, 2, 3], [-2, 0], false],
    [[10, 16], [1], false], // not the leading axes: the general kernel
    [[4, 4], [0, 1], false],
  ] as const)('sum of %j over %j (keepDims %s) matches the CPU backend', async (xs, axes, keep) => {
    await onBoth(() => tf.sum(random([...xs], 3), [...axes], keep));
  });
});
