/**
 * Dense and per-cycle accuracies as a table, the Download results button, and Export to
 * PyTorch (the current settings as a Python script).
 */
import { useShallow } from 'zustand/react/shallow';
import { PYTORCH_SCRIPT_NAME, pytorchScript } from '../../export/pytorch-script';
import type { Evaluation } from '../../schema/results';
import { openedRun, shownResults } from '../../state/selectors';
import { saveFile } from '../save-file';
import { useApp, useAppStore } from '../store-context';
import { useDeferredResults } from '../use-deferred-results';

const pct = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(2)}%`);

export function ResultsSummary() {
  // Deferred like the charts: a results update re-renders in an interruptible pass.
  const results = useDeferredResults();
  const lastMs = useApp((s) => s.lastCommandMs);
  // An opened run is read only: its numbers, not the live engine's models or timings.
  const live = useApp((s) => openedRun(s) === null);
  const config = useApp(useShallow((s) => s.config));
  const store = useAppStore();
  const download = () => {
    // The latest shown results, not the (deferred, staggered) ones this table shows.
    const latest = shownResults(store.getState());
    if (!latest) return;
    saveFile(
      `${JSON.stringify(latest, null, 2)}\n`,
      `pruning-lab-${latest.config.model}-${latest.config.dataset}-results.json`,
      'application/json',
    );
  };
  const modelFiles = useApp((s) => s.modelFiles);
  /** Saves model.json and its weights as <stem>.json + <stem>.weights.bin (TF.js's names). */
  const downloadModel = async (cycle: number) => {
    const files = await modelFiles(cycle);
    if (!files || !results) return;
    const stem = `pruning-lab-${results.config.model}-${cycle === 0 ? 'dense' : `cycle-${cycle}`}`;
    const json = JSON.parse(files.modelJson) as { weightsManifest: { paths: string[] }[] };
    json.weightsManifest.forEach((group) => (group.paths = [`${stem}.weights.bin`]));
    saveFile(JSON.stringify(json), `${stem}.json`, 'application/json');
    saveFile(new Uint8Array(files.weights), `${stem}.weights.bin`, 'application/octet-stream');
  };
  const modelButton = (cycle: number, label: string) => (
    <td>
      {live ? (
        <button
          type="button"
          className="small"
          aria-label={`Download the model after ${label} in TF.js format`}
          onClick={() => void downloadModel(cycle)}
        >
          TF.js
        </button>
      ) : null}
    </td>
  );
  const cycles = results?.cycles ?? [];
  const recalibrated = cycles.some((c) => c.afterRecalibration);
  const rewound = cycles.some((c) => c.afterRewind);
  const extra = (e: Evaluation | null) => <td>{pct(e?.testAccuracy)}</td>;
  const gmpSparsity = results?.gmp ? results.dense?.epochs.at(-1)?.sparsity : undefined;
  return (
    <section className="panel results-summary" aria-label="Results">
      <div className="results-header">
        <h2>Results</h2>
        <div className="buttons">
          <button type="button" disabled={!results?.dense} onClick={download}>
            Download results
          </button>
          <button
            type="button"
            title="A Python script that re-runs these settings with torch.nn.utils.prune"
            onClick={() => saveFile(pytorchScript(config), PYTORCH_SCRIPT_NAME, 'text/x-python')}
          >
            Export to PyTorch
          </button>
        </div>
      </div>
      <table>
        <caption className="sr-only">Test accuracy per cycle</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Sparsity</th>
            <th scope="col">After prune</th>
            {recalibrated ? <th scope="col">After BN recalibration</th> : null}
            {rewound ? <th scope="col">After rewind</th> : null}
            <th scope="col">After retrain</th>
            <th scope="col">Model</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{results?.gmp ? 'GMP run' : 'Dense'}</th>
            <td>{pct(gmpSparsity ?? 0)}</td>
            <td>—</td>
            {recalibrated ? <td>—</td> : null}
            {rewound ? <td>—</td> : null}
            <td>{pct(results?.dense?.final.testAccuracy)}</td>
            {results?.dense ? (
              modelButton(0, results.gmp ? 'the GMP run' : 'dense training')
            ) : (
              <td />
            )}
          </tr>
          {cycles.map((c) => (
            <tr key={c.cycle}>
              <th scope="row">Cycle {c.cycle}</th>
              <td>{pct(c.sparsity)}</td>
              <td>{pct(c.afterPrune.testAccuracy)}</td>
              {recalibrated ? extra(c.afterRecalibration) : null}
              {rewound ? extra(c.afterRewind) : null}
              <td>{pct(c.afterRetrain?.testAccuracy)}</td>
              {c.afterRetrain || results?.config.retrainEpochs === 0 ? (
                modelButton(c.cycle, `cycle ${c.cycle}`)
              ) : (
                <td />
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {results ? (
        <p className="meta">
          {results.model.prunableParams.toLocaleString('en')} prunable weights ·{' '}
          {(results.environment.computeTimeMs / 1000).toFixed(1)} s compute
          {live && lastMs !== null ? ` · last command ${(lastMs / 1000).toFixed(1)} s` : ''}
        </p>
      ) : null}
    </section>
  );
}
