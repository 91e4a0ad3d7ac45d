/**
 * The lab's own kernels on more than one thread. tfjs's multi-threaded WASM build runs XNNPACK
 * on a pool of threads, but the lab's kernels ran on the calling thread alone. Here helper
 * workers (kernel-helper.worker.ts) instantiate the same kernels on tfjs's shared heap and each
 * computes a disjoint part of a kernel's output, so nothing is copied and nothing is locked:
 * the calling thread writes a call's arguments into a helper's control block, wakes it
 * (Atomics.notify), does its own part, and waits (Atomics.wait) until every helper says done.
 * Kernel calls stay synchronous, as tfjs needs. A helper that does not answer within
 * HELPER_TIMEOUT_MS has its part computed on the calling thread and the pool is shut down.
 *
 * Control block (Int32Array on its own SharedArrayBuffer): [0] call number (a helper waits for
 * it to change; -1 stops it), [1] the last call number done, [2] which kernel (an index into
 * SPLIT_KERNELS), [3..] the call's arguments.
 */
import type { LabKernels } from './lab-kernels-instance';

export const HELPER_TIMEOUT_MS = 20_000;

/**
 * Multiply-adds of a layer from which a filter gradient is split over the kernel threads:
 * LeNet-5's conv2 (15 M, about 1.5 ms) ran slower split on this 2-core machine (1.86 against
 * 1.67 ms a step), Conv-4's and ResNet-20's 3x3 layers (150 M and more) faster.
 */
export const POOL_MIN_MACS = 50_000_000;

/**
 * The kernels a pool splits: each takes, last, the range [from, to) of the parts it computes
 * (row groups of a filter gradient, images of a batch), parts whose outputs are disjoint.
 */
export const SPLIT_KERNELS = [
  'convFilterGrad',
  'winogradInput',
  'winogradOutput',
  'winogradOutputAdjoint',
] as const;
export type SplitKernel = (typeof SPLIT_KERNELS)[number];

const KERNEL = 2;
const ARGS = 3;
const CONTROL_INTS = ARGS + 16;

/** What a helper receives first: the heap to compute in and its control block. */
export interface HelperStart {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
}

/** The little of Worker (or of a Node MessagePort) the pool uses. */
export interface HelperPort {
  postMessage(message: HelperStart): void;
  addEventListener(type: 'message' | 'error', listener: (event: { data?: unknown }) => void): void;
  terminate?(): void;
}

interface Helper {
  port: HelperPort;
  control: Int32Array;
}

export class KernelPool {
  private calls = 0;
  private closed = false;

  private constructor(
    private readonly helpers: Helper[],
    private readonly kernels: LabKernels,
  ) {}

  /**
   * Starts `count` helpers on `memory` (shared). Resolves when every one has its kernels ready,
   * or to null (after stopping any started) when one fails or does not answer in time.
   */
  static async start(
    memory: WebAssembly.Memory,
    kernels: LabKernels,
    count: number,
    spawn: () => HelperPort,
  ): Promise<KernelPool | null> {
    if (count < 1 || !(memory.buffer instanceof SharedArrayBuffer)) return null;
    const helpers: Helper[] = [];
    try {
      await Promise.all(
        Array.from({ length: count }, () => {
          const port = spawn();
          const control = new SharedArrayBuffer(CONTROL_INTS * 4);
          helpers.push({ port, control: new Int32Array(control) });
          return new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no answer')), HELPER_TIMEOUT_MS);
            port.addEventListener('message', ({ data }) => {
              clearTimeout(timer);
              if (data === 'ready') resolve();
              else reject(new Error(String(data)));
            });
            // A script that cannot load (say, offline without it cached) fails at once.
            port.addEventListener('error', () => {
              clearTimeout(timer);
              reject(new Error('the helper did not start'));
            });
            port.postMessage({ memory, control });
          });
        }),
      );
    } catch {
      for (const helper of helpers) stopHelper(helper);
      return null;
    }
    return new KernelPool(helpers, kernels);
  }

  /** Threads a call is split over: the helpers and the calling thread. */
  get threads(): number {
    return this.closed ? 1 : this.helpers.length + 1;
  }

  /**
   * convFilterGrad over all `groups` row groups of dw (14 leading arguments as the kernel
   * takes them).
   */
  convFilterGrad(args: readonly number[], groups: number): void {
    this.split('convFilterGrad', args, groups);
  }

  /**
   * `kernel` over parts [0, count), split in contiguous ranges (its leading arguments `args`,
   * the range last): the helpers take the first ones, this thread the last.
   */
  split(kernel: SplitKernel, args: readonly number[], count: number): void {
    const parts = Math.min(this.threads, count);
    const bound = (k: number) => Math.floor((count * k) / parts);
    const call = ++this.calls;
    const busy = this.helpers.slice(0, parts - 1);
    busy.forEach((helper, k) => {
      const { control } = helper;
      control[KERNEL] = SPLIT_KERNELS.indexOf(kernel);
      args.forEach((value, i) => (control[ARGS + i] = value));
      control[ARGS + args.length] = bound(k);
      control[ARGS + args.length + 1] = bound(k + 1);
      Atomics.store(control, 0, call);
      Atomics.notify(control, 0);
    });
    const run = (from: number, to: number) =>
      (this.kernels[kernel] as (...a: number[]) => void)(...args, from, to);
    run(bound(parts - 1), count);
    busy.forEach((helper, k) => {
      if (!waitDone(helper.control, call)) {
        // A helper that hangs: stop the pool and compute its part here.
        this.close();
        run(bound(k), bound(k + 1));
      }
    });
  }

  /** Stops the helpers; later calls run on the calling thread only. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const helper of this.helpers) stopHelper(helper);
  }
}

function waitDone(control: Int32Array, call: number): boolean {
  const deadline = Date.now() + HELPER_TIMEOUT_MS;
  for (;;) {
    const done = Atomics.load(control, 1);
    if (done === call) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(control, 1, done, left);
  }
}

function stopHelper({ port, control }: Helper): void {
  Atomics.store(control, 0, -1);
  Atomics.notify(control, 0);
  port.terminate?.();
}

/**
 * A helper's side (kernel-helper.worker.ts): waits for calls on its control block and runs
 * them with `kernels` until the call number is -1.
 */
export function serveCalls(control: Int32Array, kernels: LabKernels): void {
  let seen = 0;
  for (;;) {
    Atomics.wait(control, 0, seen);
    const call = Atomics.load(control, 0);
    if (call === -1) return;
    if (call === seen) continue;
    seen = call;
    const kernel = SPLIT_KERNELS[control[KERNEL]!]!;
    const args = Array.from(control.subarray(ARGS, ARGS + kernels[kernel].length), (v) => v >>> 0);
    (kernels[kernel] as (...a: number[]) => void)(...args);
    Atomics.store(control, 1, call);
    Atomics.notify(control, 1);
  }
}
