/**
 * Backend choice in Node: 'auto' takes WASM when it can train the model (it is several times
 * faster than the pure-JS CPU backend), else CPU. WebGPU and WebGL do not exist in Node.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { probeTraining } from '../engine/backend-probe';
import { setWasmBackend } from '../engine/kernels/lab-kernels';
import { registerWasmTrainingKernels } from '../engine/kernels/wasm-training';
import type { BackendSetting, ModelName } from '../schema/config';

export async function selectNodeBackend(
  setting: BackendSetting,
  model: ModelName,
): Promise<{ backend: string; reason: string }> {
  if (setting === 'webgpu' || setting === 'webgl') {
    throw new Error(
      `backend: '${setting}' exists only in a browser; use auto, wasm or cpu in Node`,
    );
  }
  if (setting === 'auto' || setting === 'wasm') {
    registerWasmTrainingKernels();
    if (await setWasmBackend()) {
      const failure = await probeTraining(model);
      if (!failure) return { backend: 'wasm', reason: `${setting}: WASM can train ${model}` };
      if (setting === 'wasm') throw new Error(`backend: WASM cannot train ${model}: ${failure}`);
    } else if (setting === 'wasm') {
      throw new Error('backend: the WASM backend failed to initialise');
    }
  }
  await tf.setBackend('cpu');
  return {
    backend: 'cpu',
    reason: setting === 'cpu' ? 'cpu: chosen' : `auto: WASM cannot train ${model}; using CPU`,
  };
}
