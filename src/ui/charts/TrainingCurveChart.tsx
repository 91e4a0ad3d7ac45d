/** Training loss and test accuracy after every epoch of the whole run. */
import { useMemo } from 'react';
import { epochCurve } from '../../state/selectors';
import { useDeferredResults } from '../use-deferred-results';
import { useApp } from '../store-context';
import { useSameValue } from '../use-same-value';
import { ChartCard } from './ChartCard';
import { PALETTE } from './palette';
import { Plot } from './Plot';
import { accuracyAxis, ticksAxis } from './plot-axes';
import { formatTick, niceTicks } from './ticks';

export function TrainingCurveChart() {
  const results = useDeferredResults();
  // Kept by content: a results message that adds no epoch leaves the chart as it is.
  const points = useSameValue(useMemo(() => epochCurve(results), [results]));
  const classroom = useApp((s) => s.view.classroom);
  // Memoised on its data: a store update that leaves the data alone skips the drawing.
  const chart = useMemo(() => {
    const loss = niceTicks(0, Math.max(0, ...points.map((p) => p.trainLoss)), 5);
    return (
      <Plot
        classroom={classroom}
        label="Training loss (left axis) and test accuracy (right axis) after every epoch"
        x={{
          kind: 'category',
          labels: points.map((p) => p.label),
          title: 'epoch (dense, then cycle · epoch)',
        }}
        left={ticksAxis(loss, (v) => formatTick(v, loss.decimals), classroom, 'train loss')}
        right={accuracyAxis(
          points.map((p) => p.testAccuracy),
          classroom,
          'test accuracy (%)',
        )}
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
