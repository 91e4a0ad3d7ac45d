/**
 * Says that the main charts, the results table and the compression report show a listed run
 * (opened from the run list or a results link), read only, and leads back to the live
 * experiment.
 */
import { useShallow } from 'zustand/react/shallow';
import { runName } from '../../state/run-labels';
import type { RunSource } from '../../state/run-archive';
import { openedRun } from '../../state/selectors';
import { useApp } from '../store-context';

const KIND: Record<RunSource, string> = {
  'this browser': 'saved run',
  imported: 'imported run',
  'shared link': 'shared run',
};

export function OpenedRunBanner() {
  const run = useApp(useShallow(openedRun));
  const openRun = useApp((s) => s.openRun);
  if (!run) return null;
  const started = new Date(run.results.environment.startedAt).toLocaleString();
  return (
    <section className="panel opened-run" id="opened-run" aria-label="Opened run">
      <p>
        <strong>
          Showing {KIND[run.source]} “{runName(run)}” (read only)
        </strong>{' '}
        <span className="meta">
          {run.origin ? `${run.origin}, ` : ''}started {started}
        </span>
        <br />
        The charts, the results table and the compression report below are this run’s, exactly as
        it was measured. The run controls still drive the live experiment.
      </p>
      <button type="button" className="primary" onClick={() => openRun(null)}>
        Back to the live experiment
      </button>
    </section>
  );
}
