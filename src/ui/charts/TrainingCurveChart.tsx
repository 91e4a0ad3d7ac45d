/** Training loss and test accuracy after every epoch of the whole run. */
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
import { epochCurve } from '../../state/selectors';
import { useDeferredResults } from '../use-deferred-results';
import { useApp } from '../store-context';
import { ChartCard } from './ChartCard';
import { ACCURACY_DOMAIN, PALETTE, axisWidth } from './palette';

export function TrainingCurveChart() {
  const results = useDeferredResults(2);
  const points = useMemo(() => epochCurve(results), [results]);
  const classroom = useApp((s) => s.view.classroom);
  // Memoised on its data: a store update that leaves the data alone skips recharts.
  const chart = useMemo(
    () => (
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={points} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis
            yAxisId="loss"
            orientation="left"
            width={axisWidth(48, classroom)}
            tickFormatter={(v: number) => v.toFixed(2)}
          />
          <YAxis
            yAxisId="acc"
            orientation="right"
            width={axisWidth(64, classroom)}
            domain={ACCURACY_DOMAIN}
            tickFormatter={(v: number) => `${v.toFixed(1)}%`}
          />
          <Tooltip />
          <Legend />
          <Line
            yAxisId="loss"
            name="train loss"
            dataKey="trainLoss"
            stroke={PALETTE[1]}
            strokeDasharray="5 4"
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
          <Line
            yAxisId="acc"
            name="test accuracy (%)"
            dataKey="testAccuracy"
            stroke={PALETTE[0]}
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    ),
    [points, classroom],
  );
  return (
    <ChartCard
      id="training-curves"
      title="Training loss and test accuracy per epoch"
      empty={points.length === 0}
      emptyText="Appears after the first epoch."
      table={{
        columns: ['epoch', 'train loss', 'test accuracy %'],
        rows: points.map((p) => [p.label, p.trainLoss, p.testAccuracy]),
      }}
    >
      {chart}
    </ChartCard>
  );
}
