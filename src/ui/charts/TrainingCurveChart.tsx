/** Training loss and test accuracy after every epoch of the whole run. */
import { useMemo } from 'react';
import { epochCurve } from '../../state/selectors';
import { useDeferredResults } from '../use-deferred-results';
import { useApp } from '../store-context';
import { useSameValue } from '../use-same-value';
import { ChartCard } from './ChartCard';
import { PALETTE } from './palette';
import { Plot } from './Plot';
import { accuracyTicks, formatTick, gutterFor, niceTicks } from './ticks';

export function TrainingCurveChart() {
  const results = useDeferredResults();
  // Kept by content: a results message that adds no epoch leaves the chart as it is.
  const points = useSameValue(useMemo(() => epochCurve(results), [results]));
  const classroom = useApp((s) => s.view.classroom);
  // Memoised on its data: a store update that leaves the data alone skips the drawing.
  const chart = useMemo(() => {
    const acc = accuracyTicks(points.map((p) => p.testAccuracy));
    const accLabel = (v: number) => `${formatTick(v, acc.decimals)}%`;
    const loss = niceTicks(0, Math.max(0, ...points.map((p) => p.trainLoss)), 5);
    const lossLabel = (v: number) => formatTick(v, loss.decimals);
    // Each axis is titled along its side (the title's line height on top of the tick gutter).
    const title = classroom ? 22 : 18;
    return (
      <Plot
        classroom={classroom}
        label="Training loss (left axis) and test accuracy (right axis) after every epoch"
        x={{
          kind: 'category',
          labels: points.map((p) => p.label),
          title: 'epoch (dense, then cycle · epoch)',
        }}
        left={{
          domain: loss.domain,
          ticks: loss.ticks,
          format: lossLabel,
          title: 'train loss',
          width: gutterFor(loss.ticks.map(lossLabel), classroom, title),
        }}
        right={{
          domain: acc.domain,
          ticks: acc.ticks,
          format: accLabel,
          title: 'test accuracy (%)',
          width: gutterFor(acc.ticks.map(accLabel), classroom, title),
        }}
        readoutTitle={(i) => `epoch ${points[i]!.label}`}
        series={[
          {
            kind: 'line',
            axis: 'left',
            name: 'train loss (left axis)',
            values: points.map((p) => p.trainLoss),
            colour: PALETTE[1]!,
            dash: '5 4',
            dot: 3,
          },
          {
            kind: 'line',
            axis: 'right',
            name: 'test accuracy (right axis)',
            values: points.map((p) => p.testAccuracy),
            colour: PALETTE[0]!,
            width: 2,
            dot: 3,
          },
        ]}
      />
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
