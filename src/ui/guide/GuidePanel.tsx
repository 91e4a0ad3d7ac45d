/**
 * Guided experiments: pick a question, write down a prediction, run the experiment (its runs
 * are trained in turn and pinned side by side under Runs), then read what to look for and each
 * run's outcome next to the prediction. The quick version trains the same runs on tiny data.
 */
import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { PRESETS, presetById } from '../../state/presets';
import { runOutcome } from '../../state/run-labels';
import { useApp } from '../store-context';

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(2)}%`);

/** Each finished run of the experiment: its label, final sparsity and test accuracy. */
function PresetOutcome({ labels, runIds }: { labels: string[]; runIds: readonly string[] }) {
  const outcomes = useApp(
    useShallow((s) => runIds.map((id) => s.runs.find((r) => r.id === id)?.results ?? null)),
  );
  const tiny = outcomes.some((r) => r?.config.dataset === 'synthetic');
  return (
    <>
      <table className="outcome">
        <caption className="sr-only">Outcome</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Final sparsity</th>
            <th scope="col">Final test accuracy</th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((results, i) => {
            const outcome = results && runOutcome(results);
            return (
              <tr key={runIds[i]}>
                <th scope="row">{labels[i]}</th>
                <td>{outcome ? pct(outcome.sparsity) : '—'}</td>
                <td>{outcome ? pct(outcome.accuracy) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {tiny ? (
        <p className="hint">
          Quick version: tiny synthetic data, so the numbers are not MNIST’s; untick Quick version
          and run again for the real comparison.
        </p>
      ) : null}
    </>
  );
}

export function GuidePanel() {
  const preset = useApp(useShallow((s) => s.preset));
  const busy = useApp((s) => s.busy !== null);
  const locked = useApp((s) => s.view.lock);
  const refused = useApp((s) => s.presetNotice);
  const { choosePreset, runPreset, setPresetQuick } = useApp(
    useShallow((s) => ({
      choosePreset: s.choosePreset,
      runPreset: s.runPreset,
      setPresetQuick: s.setPresetQuick,
    })),
  );
  const [predictions, setPredictions] = useState<Record<string, string>>({});
  const selectId = useId();
  const predictId = useId();
  const chosen = presetById(preset?.id);
  const finished = chosen && preset && preset.done === chosen.runs.length;
  const quick = Boolean(preset?.quick) && !locked;
  const prediction = chosen ? (predictions[chosen.id] ?? '') : '';
  return (
    <section className="panel guide-panel" aria-label="Guided experiments">
      <div className="results-header">
        <h2>Guided experiments</h2>
        <label htmlFor={selectId} className="sr-only">
          Experiment
        </label>
        <select
          id={selectId}
          value={preset?.id ?? ''}
          disabled={preset?.running || (locked && Boolean(chosen))}
          onChange={(e) => choosePreset(e.target.value || null)}
        >
          <option value="">Choose a question…</option>
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      </div>
      {refused ? (
        <p className="hint" role="status">
          {refused}
        </p>
      ) : null}
      {chosen && preset ? (
        <div className="guide">
          <p className="question">{chosen.question}</p>
          <label htmlFor={predictId}>
            <strong>Predict first:</strong> {chosen.predict}
          </label>
          <textarea
            id={predictId}
            rows={2}
            value={prediction}
            placeholder="Your prediction"
            onChange={(e) => setPredictions({ ...predictions, [chosen.id]: e.target.value })}
          />
          <p>
            Runs: {chosen.runs.map((r) => r.label).join(' vs ')}{' '}
            {quick
              ? '(LeNet-300-100 on the tiny synthetic data set; a few seconds each).'
              : '(LeNet-300-100 on MNIST, the classroom defaults otherwise; about a minute each).'}
          </p>
          <div className="buttons">
            <button
              type="button"
              className="primary"
              disabled={busy || preset.running}
              onClick={() => void runPreset()}
            >
              {preset.running
                ? `Running ${Math.min(preset.done + 1, chosen.runs.length)} of ${chosen.runs.length}…`
                : finished
                  ? 'Run the experiment again'
                  : 'Run the experiment'}
            </button>
            {locked ? null : (
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={quick}
                  disabled={preset.running}
                  onChange={(e) => setPresetQuick(e.target.checked)}
                />{' '}
                Quick version (tiny synthetic data, a few seconds a run)
              </label>
            )}
          </div>
          <details open={Boolean(finished)}>
            <summary>What to look for</summary>
            <p>{chosen.lookFor}</p>
            {finished ? (
              <div
                className="guide-outcome"
                aria-label="Your prediction and the outcome"
                role="group"
              >
                <p>
                  <strong>Your prediction:</strong>{' '}
                  {prediction.trim() ? prediction : <em>none written</em>}
                </p>
                <PresetOutcome labels={chosen.runs.map((r) => r.label)} runIds={preset.runIds} />
              </div>
            ) : null}
            <p className="hint">The runs are pinned side by side under Runs.</p>
          </details>
        </div>
      ) : (
        <p className="hint">
          Six questions from the paper, each with a prediction to make and the runs that answer it.
        </p>
      )}
    </section>
  );
}
