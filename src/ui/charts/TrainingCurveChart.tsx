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
import { useSameValue } from '../use-same-value';
import { ChartCard } from './ChartCard';
import { PALETTE } from './palette';
import { accuracyTicks, formatTick, gutterFor, niceTicks } from './ticks';

export function TrainingCurveChart() {
  const results = useDeferredResults();
  // Kept by content: a results message that adds no epoch leaves the chart as it is.
  const points = useSameValue(useMemo(() => epochCurve(results), [results]));
  const classroom = useApp((s) => s.view.classroom);
  // Memoised on its data: a store update that leaves the data alone skips recharts.
  const chart = useMemo(() => {
    const acc = accuracyTicks(points.map((p) => p.testAccuracy));
    const accLabel = (v: number) => `${formatTick(v, acc.decimals)}%`;
    const loss = niceTicks(0, Math.max(0, ...points.map((p) => p.trainLoss)), 5);
    const lossLabel = (v: number) => formatTick(v, loss.decimals);
    // Each axis is titled along its side (the title's line height on top of the tick gutter).
    const title = classroom ? 22 : 18;
    const axisTitle = (value: string, side: 'left' | 'right') => ({
      value,
      angle: side === 'left' ? -90 : 90,
      position: side === 'left' ? ('insideLeft' as const) : ('insideRight' as const),
      style: { textAnchor: 'middle' as const },
    });
    return (
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="label"
            height={classroom ? 48 : 40}
            label={{ value: 'epoch (dense, then cycle · epoch)', position: 'insideBottom' }}
          />
          <YAxis
            yAxisId="loss"
            orientation="left"
            domain={loss.domain}
            ticks={loss.ticks}
            interval={0}
            width={gutterFor(loss.ticks.map(lossLabel), classroom, title)}
            tickFormatter={lossLabel}
            label={axisTitle('train loss', 'left')}
          />
          <YAxis
            yAxisId="acc"
            orientation="right"
            domain={acc.domain}
            ticks={acc.ticks}
            interval={0}
            width={gutterFor(acc.ticks.map(accLabel), classroom, title)}
            tickFormatter={accLabel}
            label={axisTitle('test accuracy (%)', 'right')}
          />
          <Tooltip />
          <Legend />
          <Line
            yAxisId="loss"
            name="train loss (left axis)"
            dataKey="trainLoss"
            stroke={PALETTE[1]}
            strokeDasharray="5 4"
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
          <Line
            yAxisId="acc"
            name="test accuracy (right axis)"
            dataKey="testAccuracy"
            stroke={PALETTE[0]}
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    );
  }, [points, classroom]);
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
