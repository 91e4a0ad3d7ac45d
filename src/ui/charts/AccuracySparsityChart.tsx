/**
 * Test accuracy vs sparsity: right after each prune and after its retraining (IMP), or at the
 * end of each epoch of the pruning run (GMP).
 */
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useMemo } from 'react';
import { accuracyVsSparsity, shownDenseDone } from '../../state/selectors';
import { useApp } from '../store-context';
import { useDeferredResults } from '../use-deferred-results';
import { ChartCard } from './ChartCard';
import { PALETTE } from './palette';
import { accuracyTicks, formatTick, gutterFor } from './ticks';

const pct = (v: number) => `${v.toFixed(1)}%`;

export function AccuracySparsityChart() {
  const results = useDeferredResults();
  const denseDone = useApp(shownDenseDone);
  const points = useMemo(() => accuracyVsSparsity(results, denseDone), [results, denseDone]);
  const gmp = Boolean(results?.gmp);
  const classroom = useApp((s) => s.view.classroom);
  // Memoised on its data: a store update that leaves the data alone skips recharts.
  const chart = useMemo(() => {
    const y = accuracyTicks(
      points.flatMap((p) => [p.afterPrune, p.afterRetrain, p.duringTraining]),
    );
    const yLabel = (v: number) => `${formatTick(v, y.decimals)}%`;
    return (
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="sparsity"
            type="number"
            domain={[0, 100]}
            ticks={[0, 25, 50, 75, 100]}
            tickFormatter={(v: number) => `${v}%`}
            height={classroom ? 48 : 40}
            label={{ value: 'sparsity', position: 'insideBottom' }}
          />
          <YAxis
            domain={y.domain}
            ticks={y.ticks}
            interval={0}
            tickFormatter={yLabel}
            width={gutterFor(y.ticks.map(yLabel), classroom)}
          />
          <Tooltip
            formatter={(v) => pct(Number(v))}
            labelFormatter={(v) => `sparsity ${pct(Number(v))}`}
          />
          <Legend />
          {gmp ? null : (
            <Line
              name="after prune"
              dataKey="afterPrune"
              stroke={PALETTE[1]}
              strokeDasharray="5 4"
              dot={{ r: 4 }}
              connectNulls
              isAnimationActive={false}
            />
          )}
          {gmp ? null : (
            <Line
              name="after retrain"
              dataKey="afterRetrain"
              stroke={PALETTE[0]}
              strokeWidth={2}
              dot={{ r: 4, strokeWidth: 2 }}
              connectNulls
              isAnimationActive={false}
            />
          )}
          {gmp ? (
            <Line
              name="GMP, end of each epoch"
              dataKey="duringTraining"
              stroke={PALETTE[2]}
              strokeWidth={2}
              dot={{ r: 4, strokeWidth: 2 }}
              isAnimationActive={false}
            />
          ) : null}
        </LineChart>
      </ResponsiveContainer>
    );
  }, [points, gmp, classroom]);
  return (
    <ChartCard
      id="accuracy-sparsity"
      title="Test accuracy vs sparsity"
      empty={points.length === 0}
      emptyText="Train the dense network to see its accuracy here."
      table={
        results?.gmp
          ? {
              columns: ['sparsity %', 'test accuracy % (GMP, end of epoch)'],
              rows: points.map((p) => [p.sparsity, p.duringTraining]),
            }
          : {
              columns: ['sparsity %', 'after prune %', 'after retrain %'],
              rows: points.map((p) => [p.sparsity, p.afterPrune, p.afterRetrain]),
            }
      }
    >
      {chart}
    </ChartCard>
  );
}
