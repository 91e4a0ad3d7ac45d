/**
 * Backend choice in the browser. 'auto' tries, in order: WebGPU on a hardware adapter, WebGL
 * (hardware renderer only), WASM, CPU —
 * each must pass a one-step training probe for the model. A software WebGPU adapter
 * (SwiftShader, isFallbackAdapter) is used only when 'webgpu' is chosen explicitly, as it is
 * slower than the CPU paths; an explicit 'webgl' allows a software renderer likewise (with tfjs's
 * SOFTWARE_WEBGL_ENABLED flag).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { probeTraining } from '../engine/backend-probe';
import { registerWasmTrainingKernels } from '../engine/kernels/wasm-training';
import type { BackendSetting, ModelName } from '../schema/config';
import type { BackendInfo } from './protocol';

registerWasmTrainingKernels();
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

type Attempt =
  { ok: true; info: Omit<BackendInfo, 'setting' | 'reason'> } | { ok: false; why: string };

async function trySet(name: string, model: ModelName): Promise<string | null> {
  try {
    if (!(await tf.setBackend(name))) return 'failed to initialise';
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

async function tryWebGpu(model: ModelName, allowFallback: boolean): Promise<Attempt> {
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
  const failure = await trySet('webgpu', model);
  if (failure) return { ok: false, why: failure };
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
  return failure ? { ok: false, why: failure } : { ok: true, info: { backend: name } };
}

export async function selectBrowserBackend(
  setting: BackendSetting,
  model: ModelName,
): Promise<BackendInfo> {
  const skipped: string[] = [];
  const attempt = async (label: string, run: () => Promise<Attempt>) => {
    const result = await run();
    if (!result.ok) skipped.push(`${label}: ${result.why}`);
    return result.ok ? result.info : null;
  };
  const candidates: [string, () => Promise<Attempt>][] = [];
  if (setting === 'auto') {
    candidates.push(
      ['WebGPU', () => tryWebGpu(model, false)],
      ['WebGL', () => tryWebGl(model, false)],
      ['WASM', () => tryPlain('wasm', model)],
    );
  } else if (setting === 'webgpu') {
    candidates.push(['WebGPU', () => tryWebGpu(model, true)]);
  } else if (setting === 'webgl') {
    candidates.push(['WebGL', () => tryWebGl(model, true)]);
  } else if (setting === 'wasm') {
    candidates.push(['WASM', () => tryPlain('wasm', model)]);
  }
  candidates.push(['CPU', () => tryPlain('cpu', model)]);
  for (const [label, run] of candidates) {
    const info = await attempt(label, run);
    if (info) {
      const chosen = setting === 'auto' ? `auto chose ${label}` : `${label} chosen`;
      const why = skipped.length ? `; passed over ${skipped.join('; ')}` : '';
      return { ...info, setting, reason: `${chosen}${why}` };
    }
  }
  throw new Error(`No usable backend: ${skipped.join('; ')}`);
}
