/** Which tfjs backend trains, and why. */
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store-context';

export function BackendBadge() {
  const backend = useApp(useShallow((s) => s.backend));
  if (!backend)
    return (
      <p className="backend" aria-live="polite">
        Backend: choosing…
      </p>
    );
  return (
    <p className="backend" aria-live="polite" data-testid="backend">
      <strong>Backend: {backend.backend}</strong>
      {backend.adapter ? ` on ${backend.adapter}` : ''}
      {backend.threads && backend.threads > 1 ? `, ${backend.threads} threads` : ''}
      {backend.simdKernels ? ', SIMD training kernels' : ''}
      <span className="reason"> — {backend.reason}</span>
    </p>
  );
}
