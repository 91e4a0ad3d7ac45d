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
import { layerSparsityRows } from '../../state/selectors';
import { useApp } from '../store-context';
import { ChartCard } from './ChartCard';
import { PALETTE } from './palette';

export function LayerSparsityChart() {
  const results = useApp((s) => s.results);
  const rows = useMemo(() => layerSparsityRows(results), [results]);
  const layers = useApp(useShallow((s) => s.results?.model.layers.map((l) => l.name) ?? []));
  return (
    <ChartCard
      id="layer-sparsity"
      title="Sparsity per layer, by cycle"
      empty={rows.length <= 1}
      emptyText="Prune to see how much of each layer goes."
    >
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="cycle" />
          <YAxis domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} width={48} />
          <Tooltip formatter={(v) => `${Number(v).toFixed(1)}%`} />
          <Legend />
          {layers.map((name, i) => (
            <Bar
              key={name}
              dataKey={name}
              fill={PALETTE[i % PALETTE.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
