/** Per-layer sparsity after each cycle's prune: the layer-wise rates global pruning picks. */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { layerSparsityRows, shownResults } from '../../state/selectors';
import { useApp } from '../store-context';
import { useDeferredResults } from '../use-deferred-results';
import { useSameValue } from '../use-same-value';
import { BarRect } from './bar-rect';
import { ChartCard } from './ChartCard';
import { gutterFor } from './ticks';
import { HatchDefs, hatchFill, seriesColor } from './hatch';

export function LayerSparsityChart() {
  const results = useDeferredResults();
  // Kept by content: only a prune changes them.
  const rows = useSameValue(useMemo(() => layerSparsityRows(results), [results]));
  const layers = useApp(useShallow((s) => shownResults(s)?.model.layers.map((l) => l.name) ?? []));
  const classroom = useApp((s) => s.view.classroom);
  // Memoised on its data: a store update that leaves the data alone skips recharts.
  const chart = useMemo(
    () => (
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <HatchDefs prefix="layer-hatch" count={layers.length} />
          <CartesianGrid strokeDasharray="3 3" />
          {/* Every cycle named (recharts drops labels it thinks crowded), up to a dozen. */}
          <XAxis dataKey="cycle" interval={rows.length > 12 ? 'preserveStartEnd' : 0} />
          <YAxis
            domain={[0, 100]}
            ticks={[0, 25, 50, 75, 100]}
            tickFormatter={(v: number) => `${v}%`}
            width={gutterFor(['100%'], classroom)}
          />
          <Tooltip formatter={(v) => `${Number(v).toFixed(1)}%`} />
          <Legend />
          {layers.map((name, i) => (
            <Bar
              key={name}
              dataKey={name}
              fill={hatchFill('layer-hatch', i)}
              stroke={seriesColor(i)}
              isAnimationActive={false}
              shape={BarRect}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
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
