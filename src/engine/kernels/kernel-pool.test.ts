import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRng } from '../../data/rng';
import { filterGradGroups, instantiateLabKernels } from './lab-kernels-instance';
import { KernelPool, type HelperPort } from './kernel-pool';

const helperScript = new URL('../../test/kernel-helper-node.ts', import.meta.url).href;
// The worker thread compiles TypeScript with tsx (a data: URL module registers it, then loads
// the helper).
const bootstrap = new URL(
  `data:text/javascript,${encodeURIComponent(
    `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};` +
      `register(); await import(${JSON.stringify(helperScript)});`,
  )}`,
);

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

/** A Node worker thread running `script` (the helper), as the pool sees a browser Worker. */
function spawn(script: URL = bootstrap): HelperPort {
  const worker = new Worker(script);
  workers.push(worker);
  return {
    postMessage: (message) => worker.postMessage(message),
    addEventListener: (type, listener) => worker.on(type, (data) => listener({ data })),
    terminate: () => void worker.terminate(),
  };
}

/**
 * A filter gradient on a shared memory (as tfjs's threaded heap is): xpad [n, ph, pw, ci] and
 * dy [n, oh, ow, co] at fixed offsets, dw after them.
 */
function layer(ci: number, co: number) {
  const [n, ph, pw, kh, kw, s] = [3, 12, 11, 3, 3, 1];
  const [oh, ow] = [ph - kh + 1, pw - kw + 1];
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
  const f32 = new Float32Array(memory.buffer);
  const rng = makeRng(ci * 100 + co);
  const xpad = 1024;
  const dy = xpad + n * ph * pw * ci * 4;
  const dw = dy + n * oh * ow * co * 4;
  for (let i = 0; i < n * ph * pw * ci; i++) f32[xpad / 4 + i] = rng() * 2 - 1;
  for (let i = 0; i < n * oh * ow * co; i++) f32[dy / 4 + i] = rng() * 2 - 1;
  const args = [xpad, dy, dw, n, ph, pw, ci, oh, ow, co, kh, kw, s, s];
  const size = kh * kw * ci * co;
  const read = () => Float32Array.from(f32.subarray(dw / 4, dw / 4 + size));
  return { memory, args, groups: filterGradGroups(kh, kw, ci), read, f32, dw, size };
}

describe('kernel helper threads', () => {
  it.each([
    [16, 16],
    [6, 12], // leftover input channels (4 + 2) and output channels (8 + 4)
    [3, 8],
  ])(
    'split a filter gradient (ci %i, co %i) over threads with the same bits as one thread',
    async (ci, co) => {
      const l = layer(ci, co);
      const kernels = instantiateLabKernels(l.memory);
      (kernels.convFilterGrad as (...a: number[]) => void)(...l.args, 0, l.groups);
      const alone = l.read();
      // Independent check of one entry: dw[a=1, b=2, c=ci-1, o=co-1] summed directly.
      const [xpad, dy, , n, ph, pw, , oh, ow] = l.args as number[];
      let direct = 0;
      for (let m = 0; m < n!; m++)
        for (let i = 0; i < oh!; i++)
          for (let j = 0; j < ow!; j++)
            direct +=
              l.f32[xpad! / 4 + ((m * ph! + i + 1) * pw! + j + 2) * ci + ci - 1]! *
              l.f32[dy! / 4 + ((m * oh! + i) * ow! + j) * co + co - 1]!;
      expect(alone[((1 * 3 + 2) * ci + ci - 1) * co + co - 1]).toBeCloseTo(direct, 4);

      l.f32.fill(Number.NaN, l.dw / 4, l.dw / 4 + l.size); // every entry must be written again
      const pool = await KernelPool.start(l.memory, kernels, 2, () => spawn());
      expect(pool?.threads).toBe(3);
      pool!.convFilterGrad(l.args, l.groups);
      expect(l.read()).toEqual(alone);
      // Many calls, each waking the helpers again: a race between the threads (such as sums
      // counted twice, seen about once in 100 calls when the kernel zeroed with memory.fill)
      // shows as a difference in some call.
      let differing = 0;
      for (let call = 0; call < 300; call++) {
        pool!.convFilterGrad(l.args, l.groups);
        const got = l.read();
        if (got.some((v, i) => v !== alone[i])) differing++;
      }
      expect(differing).toBe(0);
      pool!.close();
      expect(pool!.threads).toBe(1);
      l.f32.fill(Number.NaN, l.dw / 4, l.dw / 4 + l.size);
      pool!.convFilterGrad(l.args, l.groups); // closed: the calling thread does it all
      expect(l.read()).toEqual(alone);
    },
    60_000,
  );

  it('splits the Winograd transforms by images with the same bits as one thread', async () => {
    // Outputs [n, h, w, c] ('same'), tiles th x tw of 4x4 outputs, the input padded to
    // [n, 4 th + 2, 4 tw + 2, c], 36 matrices [tiles, c].
    const [n, h, w, c, th, tw] = [5, 7, 9, 8, 2, 3];
    const [hp, wp] = [4 * th + 2, 4 * tw + 2];
    const tiles = n * th * tw;
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
    const f32 = new Float32Array(memory.buffer);
    const i32 = new Int32Array(memory.buffer);
    const rng = makeRng(7);
    const x = 1024;
    const y = x + n * hp * wp * c * 4;
    const bias = y + n * h * w * c * 4;
    const table = bias + c * 4;
    const mats = table + 36 * 4;
    for (let i = 0; i < n * hp * wp * c; i++) f32[x / 4 + i] = rng() * 2 - 1;
    for (let i = 0; i < c; i++) f32[bias / 4 + i] = rng() - 0.5;
    for (let xi = 0; xi < 36; xi++) i32[table / 4 + xi] = mats + xi * tiles * c * 4;
    const kernels = instantiateLabKernels(memory);
    const run = {
      input: [x, hp, wp, c, th, tw, table],
      output: [table, h, w, c, th, tw, bias, 1, y],
      adjoint: [y, h, w, c, th, tw, table],
    };
    const snapshot = () => Float32Array.from(f32.subarray(mats / 4, mats / 4 + 36 * tiles * c));
    const output = () => Float32Array.from(f32.subarray(y / 4, y / 4 + n * h * w * c));
    const alone = (k: 'winogradInput' | 'winogradOutput' | 'winogradOutputAdjoint', a: number[]) =>
      (kernels[k] as (...args: number[]) => void)(...a, 0, n);
    alone('winogradInput', run.input);
    const v = snapshot();
    // Independent check against Lavin & Gray's B^T: V at point (i, j) is the sum over the
    // tile's 6x6 patch of B^T[i][a] B^T[j][b] p[a][b]; tile (m 2, ty 1, tx 2), channel 3.
    const bt = [
      [4, 0, -5, 0, 1, 0],
      [0, -4, -4, 1, 1, 0],
      [0, 4, -4, -1, 1, 0],
      [0, -2, -1, 2, 1, 0],
      [0, 2, -1, -2, 1, 0],
      [0, 4, 0, -5, 0, 1],
    ];
    const t = (2 * th + 1) * tw + 2;
    const point = (i: number, j: number) => {
      let sum = 0;
      for (let a = 0; a < 6; a++)
        for (let b = 0; b < 6; b++)
          sum += bt[i]![a]! * bt[j]![b]! * f32[x / 4 + ((2 * hp + 4 + a) * wp + 8 + b) * c + 3]!;
      return sum;
    };
    for (const [i, j] of [
      [1, 1],
      [0, 5],
      [4, 3],
    ] as const)
      expect(v[(6 * i + j) * tiles * c + t * c + 3]).toBeCloseTo(point(i, j), 4);
    alone('winogradOutput', run.output);
    const yAlone = output();
    expect(yAlone.some((value) => value === 0)).toBe(true); // the ReLU
    alone('winogradOutputAdjoint', run.adjoint);
    const adjointAlone = snapshot();

    const pool = await KernelPool.start(memory, kernels, 2, () => spawn());
    f32.fill(Number.NaN, mats / 4, mats / 4 + 36 * tiles * c);
    pool!.split('winogradInput', run.input, n);
    expect(snapshot()).toEqual(v);
    f32.fill(Number.NaN, y / 4, y / 4 + n * h * w * c);
    pool!.split('winogradOutput', run.output, n);
    expect(output()).toEqual(yAlone);
    f32.fill(Number.NaN, mats / 4, mats / 4 + 36 * tiles * c);
    pool!.split('winogradOutputAdjoint', run.adjoint, n);
    expect(snapshot()).toEqual(adjointAlone);
    pool!.close();
  }, 60_000);

  it('gives up at once, with no helper left, when a helper cannot start', async () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const kernels = instantiateLabKernels(memory);
    const missing = new URL('data:text/javascript,' + encodeURIComponent('throw new Error("x")'));
    const started = Date.now();
    const pool = await KernelPool.start(memory, kernels, 2, () => spawn(missing));
    expect(pool).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('is not started on an unshared memory (tfjs single-threaded builds)', async () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const kernels = instantiateLabKernels(memory);
    expect(await KernelPool.start(memory, kernels, 1, () => spawn())).toBeNull();
  });
});
