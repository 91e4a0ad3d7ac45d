/** The pruning regimes, by config name (`"regime"`), and the other small option lists. */
import { registryIds } from './registry-ids';

export interface OptionModule<Id extends string = string> {
  id: Id;
  label: string;
  description: string;
}

export const REGIME_REGISTRY = {
  imp: {
    id: 'imp',
    label: 'IMP — prune, retrain, repeat',
    description: 'train dense, then J cycles of {prune to 1 − (1 − s)^(j/J), retrain}',
  },
  gmp: {
    id: 'gmp',
    label: 'GMP — prune gradually while training',
    description: 'one training run pruned every dt iterations on the cubic schedule (Zhu & Gupta)',
  },
} as const satisfies Record<string, OptionModule>;

export type RegimeId = keyof typeof REGIME_REGISTRY;
export const REGIME_IDS = registryIds(REGIME_REGISTRY);

export const REWIND_REGISTRY = {
  none: {
    id: 'none',
    label: 'None — retrain from the pruned weights',
    description: 'no rewinding',
  },
  init: {
    id: 'init',
    label: 'To initialisation (lottery ticket)',
    description: 'surviving weights reset to their initial values after each prune',
  },
  epoch: {
    id: 'epoch',
    label: 'To the end of dense epoch k',
    description: 'surviving weights reset to their values after dense epoch rewindEpoch',
  },
} as const satisfies Record<string, OptionModule>;

export type RewindId = keyof typeof REWIND_REGISTRY;
export const REWIND_IDS = registryIds(REWIND_REGISTRY);

export const BACKEND_REGISTRY = {
  auto: { id: 'auto', label: 'Auto (fastest usable)', description: 'measured once per browser' },
  webgpu: {
    id: 'webgpu',
    label: 'WebGPU (any adapter, also software)',
    description: 'TensorFlow.js on WebGPU',
  },
  webgl: { id: 'webgl', label: 'WebGL', description: 'TensorFlow.js on WebGL' },
  wasm: { id: 'wasm', label: 'WASM', description: 'XNNPACK and the lab’s SIMD kernels' },
  cpu: { id: 'cpu', label: 'CPU (plain JavaScript)', description: 'the reference backend' },
} as const satisfies Record<string, OptionModule>;

export type BackendId = keyof typeof BACKEND_REGISTRY;
export const BACKEND_IDS = registryIds(BACKEND_REGISTRY);
