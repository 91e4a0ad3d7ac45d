/**
 * Pruning Lab's SIMD kernels (assembly/lab-kernels.ts, compiled by AssemblyScript) and how they
 * get at tfjs's WASM heap.
 *
 * The kernels import the WebAssembly.Memory that tfjs's WASM backend computes in and take byte
 * offsets of tensors in it, so they read and write tensors in place. tfjs does not expose that
 * memory object, so `setWasmBackend` watches WebAssembly.instantiate(Streaming) while the
 * backend starts: its single-threaded builds export the memory, the multi-threaded build imports
 * a shared one. The memory found is checked against a tensor written through tfjs before the
 * kernels are used; without it the JS fallbacks in wasm-training.ts stay in place.
 */
import * as tf from '@tensorflow/tfjs';
import { filterGradGroups, instantiateLabKernels, type LabKernels } from './lab-kernels-instance';
import { KernelPool, type HelperPort } from './kernel-pool';

export { filterGradGroups, instantiateLabKernels, type LabKernels } from './lab-kernels-instance';

type WasmBackend = tf.KernelBackend & {
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  wasm?: { asm?: Record<string, unknown> };
};

/** Byte offset of a WASM-backend tensor's data in tfjs's heap. */
export function heapOffset(backend: unknown, info: tf.TensorInfo): number {
  return (backend as WasmBackend).dataIdMap.get(info.dataId).memoryOffset;
}

function memoriesIn(...objects: unknown[]): WebAssembly.Memory[] {
  const found: WebAssembly.Memory[] = [];
  const visit = (value: unknown, depth: number) => {
    if (value instanceof WebAssembly.Memory) found.push(value);
    else if (depth > 0 && value && typeof value === 'object')
      for (const inner of Object.values(value)) visit(inner, depth - 1);
  };
  objects.forEach((o) => visit(o, 2));
  return found;
}

/** Runs `start` while noting every WebAssembly.Memory passed to or made by instantiation. */
async function watchInstantiation<T>(
  start: () => Promise<T>,
): Promise<{ result: T; memories: WebAssembly.Memory[] }> {
  const memories: WebAssembly.Memory[] = [];
  const { instantiate, instantiateStreaming } = WebAssembly;
  type Source = Parameters<typeof instantiate>[0];
  const note = (imports: unknown, made: unknown) => {
    const instance =
      made instanceof WebAssembly.Instance ? made : (made as { instance?: unknown })?.instance;
    memories.push(...memoriesIn(imports, (instance as WebAssembly.Instance | undefined)?.exports));
  };
  const wasm = WebAssembly as unknown as Record<string, unknown>;
  wasm.instantiate = (source: Source, imports?: WebAssembly.Imports) =>
    (instantiate as (s: Source, i?: WebAssembly.Imports) => Promise<unknown>)(source, imports).then(
      (made) => {
        note(imports, made);
        return made;
      },
    );
  if (instantiateStreaming) {
    wasm.instantiateStreaming = (
      source: Response | PromiseLike<Response>,
      imports?: WebAssembly.Imports,
    ) =>
      instantiateStreaming(source, imports).then((made) => {
        note(imports, made);
        return made;
      });
  }
  try {
    return { result: await start(), memories };
  } finally {
    wasm.instantiate = instantiate;
    if (instantiateStreaming) wasm.instantiateStreaming = instantiateStreaming;
  }
}

/** True when `memory` is the heap the active WASM backend keeps tensors in. */
function isHeap(memory: WebAssembly.Memory): boolean {
  const probe = tf.tensor1d([1.5, -2.25, 3.125, 1e-3]);
  try {
    const offset = heapOffset(tf.backend(), probe);
    if (offset + 16 > memory.buffer.byteLength) return false;
    const seen = new Float32Array(memory.buffer, offset, 4);
    return (
      seen[0] === 1.5 && seen[1] === -2.25 && seen[2] === 3.125 && seen[3] === Math.fround(1e-3)
    );
  } finally {
    probe.dispose();
  }
}

let kernels: LabKernels | null = null;
let heapMemory: WebAssembly.Memory | null = null;
let pool: KernelPool | null = null;
let started: Promise<boolean> | null = null;

/** The SIMD kernels once `setWasmBackend` found tfjs's heap, else null. */
export function labKernels(): LabKernels | null {
  return kernels;
}

/**
 * Starts `helpers` kernel helper threads (kernel-pool.ts) on tfjs's heap, once the kernels run
 * on a shared one (tfjs's multi-threaded build); resolves to the threads the lab's kernels then
 * use (1 without helpers).
 */
export async function startKernelPool(helpers: number, spawn: () => HelperPort): Promise<number> {
  if (!pool && kernels && heapMemory && helpers > 0) {
    pool = await KernelPool.start(heapMemory, kernels, helpers, spawn);
    if (pool && !poolAgrees(pool, kernels)) {
      pool.close();
      pool = null;
    }
  }
  return pool?.threads ?? 1;
}

/**
 * Self-check before the helpers are used: a filter gradient split over the threads must have
 * the same bits as on this thread alone (each thread computes whole rows, in the same order).
 */
function poolAgrees(threads: KernelPool, alone: LabKernels): boolean {
  return tf.tidy(() => {
    const [n, h, w, ci, co, k] = [4, 9, 9, 6, 12, 3];
    const x = tf.randomUniform([n, h, w, ci], -1, 1, 'float32', 1);
    const dy = tf.randomUniform([n, h - k + 1, w - k + 1, co], -1, 1, 'float32', 2);
    const one = tf.zeros([k, k, ci, co]);
    const split = tf.zeros([k, k, ci, co]);
    const backend = tf.backend();
    const args = (dw: tf.Tensor) => [
      heapOffset(backend, x),
      heapOffset(backend, dy),
      heapOffset(backend, dw),
      ...[n, h, w, ci, h - k + 1, w - k + 1, co, k, k, 1, 1],
    ];
    const groups = filterGradGroups(k, k, ci);
    (alone.convFilterGrad as (...a: number[]) => void)(...args(one), 0, groups);
    threads.convFilterGrad(args(split), groups);
    const [a, b] = [one.dataSync(), split.dataSync()];
    return a.every((v, i) => v === b[i]) && a.some((v) => v !== 0);
  });
}

/** The helper threads, when startKernelPool started them. */
export function kernelPool(): KernelPool | null {
  return pool;
}

/**
 * tf.setBackend('wasm'), and on the backend's first start, the SIMD kernels on its heap.
 * Resolves to setBackend's answer.
 */
export async function setWasmBackend(): Promise<boolean> {
  if (!started) {
    started = (async () => {
      const { result, memories } = await watchInstantiation(() => tf.setBackend('wasm'));
      if (!result) return false;
      const exported = (tf.backend() as WasmBackend).wasm?.asm?.memory;
      const heap = [...memories, ...memoriesIn([exported])].find(isHeap);
      if (heap) {
        kernels = instantiateLabKernels(heap);
        heapMemory = heap;
      }
      return true;
    })();
    return started;
  }
  return (await started) && tf.setBackend('wasm');
}
