/**
 * Guided experiments: pick a question, write down a prediction, run the experiment (its runs
 * are trained in turn and pinned side by side under Runs), then read what to look for and each
 * run's outcome next to the prediction. The quick version trains the same runs on tiny data.
 */
import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatDuration } from '../../core/run-estimate';
import { finalAccuracies, gapVerdict, spreadOf, type Spread } from '../../schema/seed-stats';
import {
  PRESET_SEEDS,
  PRESETS,
  presetById,
  presetSeconds,
  type PresetSeeds,
} from '../../state/presets';
import { runOutcome } from '../../state/run-labels';
import { useApp } from '../store-context';

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(2)}%`);
const points = (x: number) => `${(100 * x).toFixed(2)} points`;

/** "89.12% ± 0.21 (3 seeds)", or the one seed's accuracy. */
function accuracyText(s: Spread | null): string {
  if (!s) return '—';
  if (s.std === null) return pct(s.mean);
  return `${pct(s.mean)} ± ${(100 * s.std).toFixed(2)} (${s.n} seeds)`;
}

/**
 * Whether the gap between two runs exceeds their spread over seeds, in words: "random ends 68.10
 * points below global magnitude: more than the spread over seeds (±5.12 and ±0.23) …".
 */
function verdictText(a: string, b: string, sa: Spread | null, sb: Spread | null): string {
  if (!sa || !sb) return `${b} against ${a}: not finished.`;
  const gap = sb.mean - sa.mean;
  const ends = `${b} ends ${points(Math.abs(gap))} ${gap >= 0 ? 'above' : 'below'} ${a}`;
  const verdict = gapVerdict(sa, sb);
  if (!verdict) {
    return `${ends}, from one seed each: run with 3 seeds to tell a real gap from noise.`;
  }
  const spreadText = `±${(100 * verdict.stdA).toFixed(2)} and ±${(100 * verdict.stdB).toFixed(2)}`;
  return verdict.exceedsSpread
    ? `${ends}: more than the spread over seeds (${spreadText}), so the ±1 std bands do not overlap — a real difference.`
    : `${ends}: within the spread over seeds (${spreadText}), so the bands overlap and these seeds cannot tell the two apart.`;
}

/**
 * Each finished run of the experiment: its label, final sparsity and test accuracy (over seeds
 * the mean ± std), then for each run after the first whether its gap to the one before exceeds
 * their spread.
 */
function PresetOutcome({ labels, runIds }: { labels: string[]; runIds: readonly string[] }) {
  const outcomes = useApp(
    useShallow((s) => runIds.map((id) => s.runs.find((r) => r.id === id)?.results ?? null)),
  );
  const tiny = outcomes.some((r) => r?.config.dataset === 'synthetic');
  const spreads = outcomes.map((r) => (r ? spreadOf(finalAccuracies(r)) : null));
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
                <td>{accuracyText(spreads[i] ?? null)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ul className="verdicts" aria-label="Gap against spread">
        {labels.slice(1).map((label, i) => (
          <li key={label}>
            {verdictText(labels[i]!, label, spreads[i] ?? null, spreads[i + 1] ?? null)}
          </li>
        ))}
      </ul>
      {tiny ? (
        <p className="hint">
          Quick version: tiny synthetic data, so the numbers are not Fashion-MNIST’s; untick Quick
          version and run again for the real comparison.
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
  const { choosePreset, runPreset, setPresetQuick, setPresetSeeds } = useApp(
    useShallow((s) => ({
      choosePreset: s.choosePreset,
      runPreset: s.runPreset,
      setPresetQuick: s.setPresetQuick,
      setPresetSeeds: s.setPresetSeeds,
    })),
  );
  const seedsId = useId();
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
              ? `(LeNet-300-100 on the tiny synthetic data set; a few seconds each${preset.seeds > 1 ? ', per seed' : ''}).`
              : `(LeNet-300-100 on Fashion-MNIST, the classroom defaults otherwise; ${formatDuration(presetSeconds(chosen, preset.seeds))} in all on a 2-core laptop${preset.seeds > 1 ? `, ${preset.seeds} seeds each` : ''}).`}
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
            <label htmlFor={seedsId}>
              Runs per setting{' '}
              <select
                id={seedsId}
                value={preset.seeds}
                disabled={preset.running}
                onChange={(e) => setPresetSeeds(Number(e.target.value) as PresetSeeds)}
              >
                {PRESET_SEEDS.map((n) => (
                  <option key={n} value={n}>
                    {n === 1 ? '1 seed (quickest)' : `${n} seeds (tells a gap from noise)`}
                  </option>
                ))}
              </select>
            </label>
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
