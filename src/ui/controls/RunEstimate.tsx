/**
 * The time guard-rail beside the run buttons: before a run, how long Run all would take at the
 * training rate measured on this machine (and, when long, what would be quicker); during one,
 * how long is left at the run's own pace.
 */
import { useShallow } from 'zustand/react/shallow';
import { formatDuration } from '../../core/run-estimate';
import { runAllEstimate, timeLeft } from '../../state/estimate-slice';
import { useApp } from '../store-context';

export function RunEstimate() {
  const estimate = useApp(useShallow(runAllEstimate));
  const left = useApp(timeLeft);
  const busy = useApp((s) => s.busy);
  const paused = useApp((s) => s.paused);
  if (busy && busy !== 'configure' && busy !== 'reset') {
    const text = paused ? 'paused' : left === null ? 'measuring…' : formatDuration(left);
    return (
      <p className="estimate" data-testid="estimate">
        Time left: {text}
      </p>
    );
  }
  if (!estimate) return null;
  return (
    <p
      className="estimate"
      data-testid="estimate"
      title="From the training speed measured in this browser for this model and batch size"
    >
      Run all: {estimate.text}
      {estimate.warning ? (
        <strong className="estimate-warning"> — {estimate.warning}</strong>
      ) : null}
    </p>
  );
}
