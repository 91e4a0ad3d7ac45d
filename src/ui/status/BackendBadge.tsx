/**
 * Where the network trains, in one plain line ("Training on your CPU · 2 threads"), and behind
 * a disclosure the TF.js backend, adapter, threads and kernels, and why it was chosen.
 */
import { useShallow } from 'zustand/react/shallow';
import type { BackendInfo } from '../../worker/protocol';
import { useApp } from '../store-context';

/** The plain line: which processor, and the one detail that matters for its speed. */
export function backendLine(info: BackendInfo): string {
  const threads = info.threads ?? 1;
  switch (info.backend) {
    case 'webgpu':
    case 'webgl': {
      const api = info.backend === 'webgpu' ? 'WebGPU' : 'WebGL';
      return info.fallbackAdapter
        ? `Training on a software GPU (${api} emulated on the CPU, slow)`
        : `Training on your GPU (${api})`;
    }
    case 'wasm':
      return `Training on your CPU · ${threads} thread${threads === 1 ? '' : 's'}`;
    case 'cpu':
      return 'Training on your CPU (plain JavaScript, slow)';
    default:
      return `Training with ${info.backend}`;
  }
}

export function BackendBadge() {
  const backend = useApp(useShallow((s) => s.backend));
  if (!backend)
    return (
      <p className="backend" aria-live="polite">
        Choosing where to train…
      </p>
    );
  return (
    <div className="backend" aria-live="polite" data-testid="backend">
      <details>
        <summary>
          <strong>{backendLine(backend)}</strong>
        </summary>
        <p>
          Backend: {backend.backend}
          {backend.adapter ? ` on ${backend.adapter}` : ''}
          {backend.threads && backend.threads > 1 ? `, ${backend.threads} threads` : ''}
          {backend.simdKernels ? ', SIMD training kernels' : ''}
          {backend.simdKernels && (backend.kernelThreads ?? 1) > 1
            ? ` on ${backend.kernelThreads} threads`
            : ''}{' '}
          (TensorFlow.js)
        </p>
        <p className="reason">Why: {backend.reason}</p>
      </details>
    </div>
  );
}
