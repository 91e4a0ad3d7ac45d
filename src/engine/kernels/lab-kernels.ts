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
import { LAB_KERNELS_SHARED_WASM, LAB_KERNELS_WASM } from './lab-kernels.wasm';

/** The exports of assembly/lab-kernels.ts (pointers are byte offsets into tfjs's heap). */
export interface LabKernels {
  maxPoolGrad2x2(
    x: number,
    dy: number,
    dx: number,
    n: number,
    inH: number,
    inW: number,
    c: number,
    outH: number,
    outW: number,
  ): void;
  addBias(x: number, bias: number, out: number, rows: number, c: number): void;
  sumRows(x: number, out: number, rows: number, c: number): void;
  col2im(
    cols: number,
    dx: number,
    n: number,
    inH: number,
    inW: number,
    c: number,
    outH: number,
    outW: number,
    kh: number,
    kw: number,
    sH: number,
    sW: number,
    top: number,
    left: number,
  ): void;
  padImages(
    x: number,
    out: number,
    n: number,
    h: number,
    w: number,
    c: number,
    top: number,
    bottom: number,
    left: number,
    right: number,
  ): void;
  batchNormTrain(
    x: number,
    gamma: number,
    beta: number,
    y: number,
    mean: number,
    variance: number,
    scratch: number,
    rows: number,
    c: number,
    eps: number,
  ): void;
  batchNormTrainGrad(
    x: number,
    dy: number,
    mean: number,
    variance: number,
    gamma: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    scratch: number,
    rows: number,
    c: number,
    eps: number,
  ): void;
  convFilterGrad(
    xpad: number,
    dy: number,
    dw: number,
    n: number,
    ph: number,
    pw: number,
    ci: number,
    outH: number,
    outW: number,
    co: number,
    kh: number,
    kw: number,
    sH: number,
    sW: number,
  ): void;
  convFilterGradC1(
    xpad: number,
    dy: number,
    dw: number,
    n: number,
    ph: number,
    pw: number,
    outH: number,
    outW: number,
    kh: number,
    kw: number,
    co: number,
  ): void;
}

const decode = (base64: string) => Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));

/** Instantiates the kernels on `memory` (plain or shared, as tfjs's build has it). */
export function instantiateLabKernels(memory: WebAssembly.Memory): LabKernels {
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const module = new WebAssembly.Module(
    decode(shared ? LAB_KERNELS_SHARED_WASM : LAB_KERNELS_WASM),
  );
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as LabKernels;
}

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
let started: Promise<boolean> | null = null;

/** The SIMD kernels once `setWasmBackend` found tfjs's heap, else null. */
export function labKernels(): LabKernels | null {
  return kernels;
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
      if (heap) kernels = instantiateLabKernels(heap);
      return true;
    })();
    return started;
  }
  return (await started) && tf.setBackend('wasm');
}
