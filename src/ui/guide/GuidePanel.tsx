/**
 * Guided experiments: pick a question, write down a prediction, run the experiment (its runs
 * are trained in turn and pinned side by side under Runs), then read what to look for.
 */
import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { PRESETS, presetById } from '../../state/presets';
import { useApp } from '../store-context';

export function GuidePanel() {
  const preset = useApp(useShallow((s) => s.preset));
  const busy = useApp((s) => s.busy !== null);
  const locked = useApp((s) => s.view.lock);
  const refused = useApp((s) => s.presetNotice);
  const { choosePreset, runPreset } = useApp(
    useShallow((s) => ({ choosePreset: s.choosePreset, runPreset: s.runPreset })),
  );
  const [predictions, setPredictions] = useState<Record<string, string>>({});
  const selectId = useId();
  const predictId = useId();
  const chosen = presetById(preset?.id);
  const finished = chosen && preset && preset.done === chosen.runs.length;
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
            value={predictions[chosen.id] ?? ''}
            placeholder="Your prediction"
            onChange={(e) => setPredictions({ ...predictions, [chosen.id]: e.target.value })}
          />
          <p>
            Runs: {chosen.runs.map((r) => r.label).join(' vs ')} (LeNet-300-100 on MNIST, the
            classroom defaults otherwise; about a minute each).
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
          </div>
          <details open={Boolean(finished)}>
            <summary>What to look for</summary>
            <p>{chosen.lookFor}</p>
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
