/** Dense and per-cycle accuracies as a table, and the Download results button. */
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store-context';

const pct = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(2)}%`);

export function ResultsSummary() {
  const results = useApp(useShallow((s) => s.results));
  const lastMs = useApp((s) => s.lastCommandMs);
  const download = () => {
    if (!results) return;
    const blob = new Blob([`${JSON.stringify(results, null, 2)}\n`], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `pruning-lab-${results.config.model}-${results.config.dataset}-results.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section className="panel results-summary" aria-label="Results">
      <div className="results-header">
        <h2>Results</h2>
        <button type="button" disabled={!results?.dense} onClick={download}>
          Download results
        </button>
      </div>
      <table>
        <caption className="sr-only">Test accuracy per cycle</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Sparsity</th>
            <th scope="col">After prune</th>
            <th scope="col">After retrain</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Dense</th>
            <td>0.00%</td>
            <td>—</td>
            <td>{pct(results?.dense?.final.testAccuracy)}</td>
          </tr>
          {results?.cycles.map((c) => (
            <tr key={c.cycle}>
              <th scope="row">Cycle {c.cycle}</th>
              <td>{pct(c.sparsity)}</td>
              <td>{pct(c.afterPrune.testAccuracy)}</td>
              <td>{pct(c.afterRetrain?.testAccuracy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {results ? (
        <p className="meta">
          {results.model.prunableParams.toLocaleString('en')} prunable weights ·{' '}
          {(results.environment.computeTimeMs / 1000).toFixed(1)} s compute
          {lastMs !== null ? ` · last command ${(lastMs / 1000).toFixed(1)} s` : ''}
        </p>
      ) : null}
    </section>
  );
}
