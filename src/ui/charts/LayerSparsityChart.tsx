/** Per-layer sparsity after each cycle's prune: the layer-wise rates global pruning picks. */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { layerSparsityRows, shownResults } from '../../state/selectors';
import { useApp } from '../store-context';
import { useDeferredResults } from '../use-deferred-results';
import { useSameValue } from '../use-same-value';
import { ChartCard } from './ChartCard';
import { Plot } from './Plot';
import { percentAxis } from './plot-axes';
import { HatchDefs, hatchFill, seriesColor } from './hatch';

export function LayerSparsityChart() {
  const results = useDeferredResults();
  // Kept by content: only a prune changes them.
  const rows = useSameValue(useMemo(() => layerSparsityRows(results), [results]));
  const layers = useApp(useShallow((s) => shownResults(s)?.model.layers.map((l) => l.name) ?? []));
  const classroom = useApp((s) => s.view.classroom);
  // Memoised on its data: a store update that leaves the data alone skips the drawing.
  const chart = useMemo(
    () => (
      <Plot
        classroom={classroom}
        label="Sparsity of each layer after each prune"
        defs={<HatchDefs prefix="layer-hatch" count={layers.length} />}
        x={{ kind: 'category', labels: rows.map((r) => String(r.cycle)) }}
        left={percentAxis(classroom)}
        readoutTitle={(i) => `${rows[i]!.cycle}`}
        readoutValue={(v) => `${v.toFixed(1)}%`}
        series={layers.map((name, i) => ({
          kind: 'bar' as const,
          name,
          values: rows.map((r) => r[name] as number | undefined),
          fill: hatchFill('layer-hatch', i),
          colour: seriesColor(i),
        }))}
      />
    ),
    [rows, layers, classroom],
  );
  return (
    <ChartCard
      id="layer-sparsity"
      title={
        results?.gmp
          ? 'Sparsity per layer, by GMP pruning step (t)'
          : 'Sparsity per layer, by cycle'
      }
      empty={rows.length <= 1}
      emptyText="Prune to see how much of each layer goes."
      table={{
        columns: [results?.gmp ? 'step' : 'cycle', ...layers.map((l) => `${l} sparsity %`)],
        rows: rows.map((r) => [r.cycle, ...layers.map((l) => r[l])]),
      }}
    >
      {chart}
    </ChartCard>
  );
}
