/**
 * Backend choice in the browser (selectBrowserBackend says how 'auto' measures and remembers).
 * Every candidate must pass a one-step training probe for the model. A software WebGPU adapter
 * (SwiftShader, isFallbackAdapter) is used only when 'webgpu' is chosen explicitly, as it is
 * slower than the CPU paths; an explicit 'webgl' allows a software renderer likewise (with tfjs's
 * SOFTWARE_WEBGL_ENABLED flag). Also: WebGPU settings and device-loss reporting, WASM paths.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { probeTraining } from '../engine/backend-probe';
import {
  kernelPool,
  labKernels,
  setWasmBackend,
  startKernelPool,
} from '../engine/kernels/lab-kernels';
import { registerWasmTrainingKernels } from '../engine/kernels/wasm-training';
import { get, set } from 'idb-keyval';
import { measureThroughput } from '../engine/throughput';
import type { ModelName } from '../schema/config';
import type { BackendInfo, BackendRequest } from './protocol';

registerWasmTrainingKernels();
// On a cross-origin isolated page tfjs loads its multi-threaded SIMD build (startWasm sizes its
// thread pool). build/wasm-threads-plugin.ts keeps that build working in the minified bundle.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

type Attempt =
  { ok: true; info: Omit<BackendInfo, 'setting' | 'reason'> } | { ok: false; why: string };

/** WASM threads asked for (0: every logical core); applies when the backend first starts. */
let wasmThreads = 0;

/**
 * Starts the WASM backend with `wasmThreads` threads. tfjs caps its pool at half of
 * navigator.hardwareConcurrency (it assumes two hardware threads per core), read once as its
 * module starts, so while it starts the worker's navigator reports twice the threads wanted;
 * the true value is back as soon as the module has read it. Threads beyond 1 need the
 * cross-origin isolated page (shared memory); elsewhere tfjs runs one.
 */
async function startWasm(): Promise<boolean> {
  const navigator = globalThis.navigator as Navigator | undefined;
  const cores = navigator?.hardwareConcurrency || 1;
  const threads = wasmThreads > 0 ? wasmThreads : cores;
  setThreadsCount(threads);
  if (!navigator) return setWasmBackend();
  Object.defineProperty(navigator, 'hardwareConcurrency', {
    value: 2 * threads,
    configurable: true,
  });
  let started: boolean;
  try {
    started = await setWasmBackend();
  } finally {
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
  // The lab's own kernels on as many threads as XNNPACK's (helpers share tfjs's heap).
  if (started && getThreadsCount() > 1) {
    await startKernelPool(
      getThreadsCount() - 1,
      () =>
        new Worker(new URL('../engine/kernels/kernel-helper.worker.ts', import.meta.url), {
          type: 'module',
        }),
    );
  }
  return started;
}

async function trySet(name: string, model: ModelName): Promise<string | null> {
  try {
    if (!(await (name === 'wasm' ? startWasm() : tf.setBackend(name))))
      return 'failed to initialise';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  await tf.ready();
  const failure = await probeTraining(model);
  return failure ? `cannot train ${model} (${failure})` : null;
}

function describeAdapter(info: GPUAdapterInfo | undefined): string {
  if (!info) return 'unknown adapter';
  return (
    [info.vendor, info.architecture, info.description].filter(Boolean).join(' / ') ||
    'unnamed adapter'
  );
}

const lostListeners: ((reason: string) => void)[] = [];
/** Why the WebGPU device was lost, once it has been; WebGPU is not tried again after that. */
let gpuLost: string | null = null;

/** Calls `listener` when the WebGPU device in use is lost (GPU reset, driver crash, ...). */
export function onBackendLost(listener: (reason: string) => void): void {
  lostListeners.push(listener);
}

/**
 * WebGPU settings for training. WEBGPU_MATMUL_PROGRAM_TYPE = 3 (MatMulPackedProgram): the
 * default may pick the split-K program, which accumulates with atomics in no fixed order, so
 * the same seed could give different numbers; the packed program sums in a fixed order.
 */
function configureWebGpu(): void {
  tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', 3);
}

function watchDevice(): void {
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  void device?.lost.then((info) => {
    gpuLost = info.message || info.reason || 'unknown reason';
    lostListeners.forEach((listener) => listener(gpuLost!));
  });
}

async function tryWebGpu(model: ModelName, allowFallback: boolean): Promise<Attempt> {
  if (gpuLost) return { ok: false, why: `the WebGPU device was lost earlier (${gpuLost})` };
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { ok: false, why: 'this browser has no WebGPU' };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { ok: false, why: 'no WebGPU adapter' };
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
  const description = describeAdapter(info);
  const fallback =
    Boolean(info?.isFallbackAdapter ?? legacy.isFallbackAdapter) ||
    /swiftshader/i.test(description);
  if (fallback && !allowFallback) {
    return {
      ok: false,
      why: `only a software adapter (${description}), slower than the CPU paths`,
    };
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  configureWebGpu();
  const failure = await trySet('webgpu', model);
  if (failure) return { ok: false, why: failure };
  watchDevice();
  return { ok: true, info: { backend: 'webgpu', adapter: description, fallbackAdapter: fallback } };
}

/** The WebGL renderer string, e.g. 'ANGLE (…, SwiftShader …)', or null without WebGL. */
function webglRenderer(): string | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return null;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return renderer;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

async function tryWebGl(model: ModelName, allowSoftware: boolean): Promise<Attempt> {
  const renderer = webglRenderer();
  if (!renderer) return { ok: false, why: 'no WebGL2 in this worker' };
  const software = SOFTWARE_RENDERER.test(renderer);
  if (software && !allowSoftware) {
    return { ok: false, why: `only a software renderer (${renderer}), slower than the CPU paths` };
  }
  if (software) tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
  const failure = await trySet('webgl', model);
  if (failure) return { ok: false, why: failure };
  return { ok: true, info: { backend: 'webgl', adapter: renderer, fallbackAdapter: software } };
}

async function tryPlain(name: 'wasm' | 'cpu', model: ModelName): Promise<Attempt> {
  const failure = await trySet(name, model);
  if (failure) return { ok: false, why: failure };
  const info: Omit<BackendInfo, 'setting' | 'reason'> =
    name === 'wasm'
      ? {
          backend: name,
          threads: getThreadsCount(),
          simdKernels: labKernels() !== null,
          kernelThreads: kernelPool()?.threads ?? 1,
        }
      : { backend: name, threads: 1 };
  return { ok: true, info };
}

interface Usable {
  label: string;
  name: string;
  info: Omit<BackendInfo, 'setting' | 'reason'>;
}

interface Remembered {
  backend: string;
  rates: Record<string, number>;
  measuredAt: string;
}

const rateText = (rates: Record<string, number>) =>
  Object.entries(rates)
    .map(([name, rate]) => `${name} ${Math.round(rate).toLocaleString('en')}/s`)
    .join(', ');

/**
 * Picks the backend for `request`. For 'auto' every path that can train the model is found;
 * when more than one of the fast ones (hardware WebGPU, hardware WebGL, WASM) is usable, each
 * is timed on the real training step at the run's batch size and the fastest wins. The choice
 * is remembered per browser (IndexedDB) for the same model, batch and set of usable backends.
 * Plain CPU is used only when none of the others works; software GPU adapters never in auto.
 */
export async function selectBrowserBackend(request: BackendRequest): Promise<BackendInfo> {
  const { setting, model, batch } = request;
  // The benchmark may ask for a thread count (before the WASM backend first starts).
  if (request.threads !== undefined) wasmThreads = request.threads;
  const skipped: string[] = [];
  const candidates: [string, string, () => Promise<Attempt>][] = [];
  const fastPaths: typeof candidates = [
    ['WebGPU', 'webgpu', () => tryWebGpu(model, false)],
    ['WebGL', 'webgl', () => tryWebGl(model, false)],
    ['WASM', 'wasm', () => tryPlain('wasm', model)],
  ];
  if (setting === 'auto') {
    candidates.push(...fastPaths);
  } else if (setting === 'webgpu') {
    candidates.push(['WebGPU', 'webgpu', () => tryWebGpu(model, true)]);
  } else if (setting === 'webgl') {
    candidates.push(['WebGL', 'webgl', () => tryWebGl(model, true)]);
  } else if (setting === 'wasm') {
    candidates.push(['WASM', 'wasm', () => tryPlain('wasm', model)]);
  }
  const usable: Usable[] = [];
  const tryAll = async (list: typeof candidates) => {
    for (const [label, name, run] of list) {
      const result = await run();
      if (result.ok) usable.push({ label, name, info: result.info });
      else skipped.push(`${label}: ${result.why}`);
    }
  };
  await tryAll(candidates);
  let fellBack = false;
  if (usable.length === 0 && setting !== 'auto' && setting !== 'cpu') {
    // The chosen backend cannot train here: take the best of the others rather than fail.
    fellBack = true;
    await tryAll(fastPaths.filter(([, name]) => name !== setting));
  }
  const passedOver = skipped.length ? `; passed over ${skipped.join('; ')}` : '';
  if (usable.length === 0) {
    const cpu = await tryPlain('cpu', model);
    if (!cpu.ok)
      throw new Error(`No usable backend: ${[...skipped, `CPU: ${cpu.why}`].join('; ')}`);
    const chosen = setting === 'cpu' ? 'CPU chosen' : `${setting} fell back to CPU`;
    return { ...cpu.info, setting, reason: `${chosen}${passedOver}` };
  }
  const finish = async (pick: Usable, why: string): Promise<BackendInfo> => {
    await tf.setBackend(pick.name);
    return { ...pick.info, setting, reason: `${why}${passedOver}` };
  };
  if (usable.length === 1) {
    const only = usable[0]!;
    const why =
      setting === 'auto'
        ? `auto chose ${only.label}, the only fast path`
        : fellBack
          ? `${setting} cannot train here; fell back to ${only.label}`
          : `${only.label} chosen`;
    return finish(only, why);
  }
  const key = `backend-choice:${model}:${batch}:${usable.map((u) => u.name).join(',')}`;
  const remembered = await get<Remembered>(key).catch(() => undefined);
  const known = remembered && usable.find((u) => u.name === remembered.backend);
  const chooser = fellBack ? `${setting} cannot train here; auto` : 'auto';
  if (remembered && known) {
    return finish(
      known,
      `${chooser} chose ${known.label}, fastest when measured ${remembered.measuredAt.slice(0, 10)} (${rateText(remembered.rates)})`,
    );
  }
  const rates: Record<string, number> = {};
  for (const candidate of usable) {
    await tf.setBackend(candidate.name);
    const { samplesPerSecond } = await measureThroughput({
      model,
      batch,
      warmupSteps: 2,
      blocks: 3,
      blockMs: 250,
    });
    rates[candidate.name] = samplesPerSecond;
  }
  const best = usable.reduce((a, b) => (rates[b.name]! > rates[a.name]! ? b : a));
  await set(key, {
    backend: best.name,
    rates,
    measuredAt: new Date().toISOString(),
  } satisfies Remembered).catch(() => {});
  return finish(best, `${chooser} measured ${rateText(rates)} and chose ${best.label}`);
}
