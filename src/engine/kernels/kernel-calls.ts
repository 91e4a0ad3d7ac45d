/**
 * What the lab's WASM kernel replacements share: the backend's shape as they use it, and calling
 * another registered WASM kernel from inside one (no tape, no engine bookkeeping).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

export type Backend = Parameters<KernelFunc>[0]['backend'] & {
  disposeData(dataId: object): boolean;
};

export type HeapBackend = Backend & {
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array;
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): TensorInfo;
};

/** Runs the WASM backend's kernel `name` on tensors it already holds. */
export function call(
  name: string,
  backend: Backend,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`WASM kernel ${name} is missing`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}
