/**
 * One fused SGD step per parameter tensor for the CPU-side backends (WASM, CPU): the same
 * update as MaskedSgd's tensor ops (PyTorch semantics),
 *   g = (grad + wd * w) * m;  v' = mu * v + g;  w' = (w - lr * (nesterov ? g + mu * v' : v')) * m
 * in a single JS loop instead of about ten kernel launches, each allocating a tensor.
 * Inputs: param, grad, velocity and optionally mask; outputs: [w', v'].
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';

export const SGD_STEP = 'PruningLabSgdStep';

export interface SgdStepAttrs {
  lr: number;
  momentum: number;
  weightDecay: number;
  nesterov: boolean;
}

/** The update loop on plain arrays (shared by every backend's kernel). */
export function sgdStepLoop(
  w: Float32Array,
  grad: Float32Array,
  v: Float32Array,
  mask: Float32Array | null,
  attrs: SgdStepAttrs,
  outW: Float32Array,
  outV: Float32Array,
): void {
  const { lr, momentum: mu, weightDecay: wd, nesterov } = attrs;
  for (let i = 0; i < w.length; i++) {
    const m = mask ? mask[i]! : 1;
    const g = (grad[i]! + wd * w[i]!) * m;
    const vi = mu * v[i]! + g;
    outV[i] = vi;
    outW[i] = (w[i]! - lr * (nesterov ? g + mu * vi : vi)) * m;
  }
}

interface Inputs {
  param: TensorInfo;
  grad: TensorInfo;
  velocity: TensorInfo;
  mask?: TensorInfo;
}

type WasmBackend = {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
};

const wasmKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { param, grad, velocity, mask } = inputs as unknown as Inputs;
  const b = backend as unknown as WasmBackend;
  // Allocate first: a heap that grows invalidates earlier views.
  const outW = b.makeOutput(param.shape, 'float32');
  const outV = b.makeOutput(param.shape, 'float32');
  sgdStepLoop(
    b.typedArrayFromHeap(param),
    b.typedArrayFromHeap(grad),
    b.typedArrayFromHeap(velocity),
    mask ? b.typedArrayFromHeap(mask) : null,
    attrs as unknown as SgdStepAttrs,
    b.typedArrayFromHeap(outW),
    b.typedArrayFromHeap(outV),
  );
  return [outW, outV];
};

type CpuBackend = {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
};

const cpuKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { param, grad, velocity, mask } = inputs as unknown as Inputs;
  const b = backend as unknown as CpuBackend;
  const values = (t: TensorInfo) => b.data.get(t.dataId).values;
  const outW = new Float32Array(param.shape.reduce((a, s) => a * s, 1));
  const outV = new Float32Array(outW.length);
  sgdStepLoop(
    values(param),
    values(grad),
    values(velocity),
    mask ? values(mask) : null,
    attrs as unknown as SgdStepAttrs,
    outW,
    outV,
  );
  return [
    b.makeTensorInfo(param.shape, 'float32', outW),
    b.makeTensorInfo(param.shape, 'float32', outV),
  ];
};

/** Registers the fused step for 'wasm' and 'cpu' (idempotent). */
export function registerSgdStepKernels(): void {
  for (const [backendName, kernelFunc] of [
    ['wasm', wasmKernel],
    ['cpu', cpuKernel],
  ] as const) {
    if (!tf.getKernel(SGD_STEP, backendName))
      tf.registerKernel({ kernelName: SGD_STEP, backendName, kernelFunc });
  }
}

/** True when the active backend has the fused step. */
export function hasFusedSgdStep(): boolean {
  return tf.getKernel(SGD_STEP, tf.getBackend()) !== undefined;
}
