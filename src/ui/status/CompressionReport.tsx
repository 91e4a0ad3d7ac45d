/** FLOPs, storage and the damage done by the latest prune, per layer and in total. */
import { shownResults } from '../../state/selectors';
import { useApp } from '../store-context';
import { useQueuedValue } from '../use-deferred-results';
import { useSameValue } from '../use-same-value';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const kflops = (flops: number) => `${(flops / 1000).toFixed(1)}k`;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function CompressionReport() {
  // Kept by content (every results message is a new copy of the same cycle) and queued with
  // the charts' redraws.
  const cycle = useQueuedValue(useSameValue(useApp((s) => shownResults(s)?.cycles.at(-1) ?? null)));
  if (!cycle) return null;
  const { layers, total, instability } = cycle.report;
  return (
    <section className="panel results-summary" aria-label="Compression report">
      <h2>Compression after cycle {cycle.cycle}</h2>
      {/* Scrolls sideways where the table is wider than the screen: focusable for the keys. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Compression table">
        <table className="report-table">
          <caption className="sr-only">
            Per-layer FLOPs and storage after cycle {cycle.cycle}
          </caption>
          <thead>
            <tr>
              <th scope="col">Layer</th>
              <th scope="col">Alive</th>
              <th scope="col">FLOPs dense → sparse</th>
              <th scope="col">Dense</th>
              <th scope="col">Bitmask</th>
              <th scope="col">CSR</th>
              <th scope="col">Norm drop</th>
            </tr>
          </thead>
          <tbody>
            {layers.map((l) => (
              <tr key={l.name}>
                <th scope="row">{l.name}</th>
                <td>
                  {l.alive.toLocaleString('en')} / {l.size.toLocaleString('en')}
                </td>
                <td>
                  {kflops(l.flopsDense)} → {kflops(l.flopsSparse)}
                </td>
                <td>{kb(l.storageDenseBytes)}</td>
                <td>{kb(l.storageBitmaskBytes)}</td>
                <td>{kb(l.storageCsrBytes)}</td>
                <td>{pct(l.normDrop)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Total</th>
              <td>{pct(1 - cycle.sparsity)} alive</td>
              <td>
                {kflops(total.flopsDense)} → {kflops(total.flopsSparse)} ({total.speedup.toFixed(1)}
                ×)
              </td>
              <td>{kb(total.storageDenseBytes)}</td>
              <td>{kb(total.storageBitmaskBytes)}</td>
              <td>{kb(total.storageCsrBytes)}</td>
              <td>{pct(total.normDrop)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <p className="meta">
        FLOPs per image (kernels only); theoretical speed-up {total.speedup.toFixed(1)}×. Pruning
        instability {pct(instability)}: the share of test accuracy this prune cost before retraining
        {instability < 0 ? ' (negative: the prune helped)' : ''}.
      </p>
    </section>
  );
}
