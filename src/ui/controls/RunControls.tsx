/** The step buttons, the pause/resume toggle, reset, and the progress of the running operation. */
import { useShallow } from 'zustand/react/shallow';
import { availability } from '../../state/selectors';
import type { ProgressEvent } from '../../worker/protocol';
import { useApp } from '../store-context';
import { RunEstimate } from './RunEstimate';

const PHASE_LABEL: Record<ProgressEvent['phase'], string> = {
  load: 'Loading data',
  dense: 'Training dense',
  prune: 'Pruning',
  retrain: 'Retraining',
};

/** The progress line: what runs now, or, with nothing running, whether the run is finished. */
export function describeProgress(
  progress: ProgressEvent | null,
  busy: string | null,
  done = false,
): string {
  if (!progress) {
    if (busy === 'configure') return 'Setting up the engine…';
    if (busy === 'reset') return 'Resetting…';
    if (busy) return 'Starting…';
    return done ? 'Finished' : 'Idle';
  }
  const parts = [PHASE_LABEL[progress.phase]];
  if (progress.phase !== 'load' && progress.phase !== 'dense')
    parts.push(`cycle ${progress.cycle}`);
  if (progress.epoch && progress.epochs) parts.push(`epoch ${progress.epoch}/${progress.epochs}`);
  if (progress.fraction !== null) parts.push(`${Math.round(100 * progress.fraction)}%`);
  if (progress.lr !== undefined) parts.push(`lr ${progress.lr.toPrecision(3)}`);
  return parts.join(' · ');
}

export function RunControls() {
  const can = useApp(useShallow(availability));
  const paused = useApp((s) => s.paused);
  const busy = useApp((s) => s.busy);
  const progress = useApp((s) => s.progress);
  const status = useApp(useShallow((s) => s.status));
  const { run, pause, resume, reset } = useApp(
    useShallow((s) => ({ run: s.run, pause: s.pause, resume: s.resume, reset: s.reset })),
  );
  const gmp = useApp((s) => s.config.regime === 'gmp');
  const repeat = useApp(useShallow((s) => s.repeat));
  const seedsRun = useApp((s) => (s.results?.repeats?.length ?? 0) + 1);
  const repeats = useApp((s) => s.results?.config.repeats ?? 1);
  const done = useApp((s) => s.status?.done ?? false);
  const progressText = describeProgress(progress, busy, done);
  const label = repeat
    ? `Seed ${repeat.seed} (${repeat.index + 1} of ${repeat.count}) · ${progressText}`
    : progressText;
  const training = busy === 'trainDense' || busy === 'stepCycle' || busy === 'runAll';
  const stage = status
    ? status.stage === 'untrained'
      ? training
        ? gmp
          ? 'Training with GMP'
          : 'Training dense'
        : 'Not trained yet'
      : gmp && status.done
        ? 'Done: trained and pruned with GMP'
        : status.done
          ? `Done: ${status.cycles} of ${status.cycles} cycles` +
            (repeats > 1 && !repeat ? `, ${seedsRun} of ${repeats} seeds` : '')
          : status.stage === 'trained'
            ? 'Dense network trained'
            : `Cycle ${status.cycle} of ${status.cycles}: ${status.stage}`
    : 'Starting the engine…';
  // A command disables the button that started it. Were that button still focused when React
  // commits, it would lose focus there and React would put focus back (reading every ancestor's
  // scroll offsets: a forced layout, 10-20 ms of the click's task on a busy machine); focus ends
  // up on the page either way, so the button lets go of it before the command starts.
  const start = (command: () => Promise<void>) => (event: React.MouseEvent<HTMLButtonElement>) => {
    event.currentTarget.blur();
    void command();
  };
  return (
    <section className="panel run-controls" aria-label="Run">
      <div className="buttons" role="toolbar" aria-label="Run controls">
        <button type="button" disabled={!can.trainDense} onClick={start(() => run('trainDense'))}>
          {gmp ? 'Train with GMP' : 'Train dense'}
        </button>
        <button type="button" disabled={!can.prune} onClick={start(() => run('prune'))}>
          Prune
        </button>
        <button type="button" disabled={!can.retrain} onClick={start(() => run('retrain'))}>
          Retrain
        </button>
        <button type="button" disabled={!can.stepCycle} onClick={start(() => run('stepCycle'))}>
          Step cycle
        </button>
        <button
          type="button"
          className="primary"
          disabled={!can.runAll}
          onClick={start(() => run('runAll'))}
        >
          Run all
        </button>
        {paused ? (
          <button type="button" onClick={resume}>
            Resume
          </button>
        ) : (
          <button type="button" disabled={!can.pause} onClick={pause}>
            Pause
          </button>
        )}
        <button type="button" disabled={!can.reset} onClick={start(reset)}>
          Reset
        </button>
      </div>
      <RunEstimate />
      <div className="progress-row">
        <progress
          aria-label="Progress"
          aria-valuetext={label}
          max={1}
          {...(progress?.fraction != null
            ? { value: progress.fraction }
            : busy
              ? {}
              : { value: done ? 1 : 0 })}
        />
        <span className="progress-label" aria-live="polite">
          {paused ? `Paused — ${label}` : label}
        </span>
      </div>
      <p className="stage" data-testid="stage">
        {stage}
      </p>
    </section>
  );
}
