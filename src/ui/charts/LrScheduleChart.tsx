/**
 * The learning rate of every iteration of the latest retraining phase, as recorded in the
 * results, or before any the preview of the next one (computed from the settings at once).
 */
import { memo, useMemo } from 'react';
import { lrScheduleView, openedRun, shownResults } from '../../state/selectors';
import { useApp } from '../store-context';
import { useQueuedValue } from '../use-deferred-results';
import { ChartCard } from './ChartCard';
import { PALETTE } from './palette';
import { Plot, PLOT_MARGIN, plotXAxisHeight, type PlotAxis } from './Plot';
import { ticksAxis } from './plot-axes';
import { formatTick, niceTicks } from './ticks';

/** The plot area's right and bottom insets, in px (its left one is the y axis's gutter). */
const PLOT_RIGHT = PLOT_MARGIN.right;
const PLOT_BOTTOM = PLOT_MARGIN.bottom;
const xAxisHeight = (classroom: boolean) => plotXAxisHeight(classroom, true);

type Points = { iteration: number; lr: number }[];
const NO_POINTS: Points = [];

/** The schedule itself: re-rendered only when a new phase starts, not on every progress tick. */
const ScheduleLines = memo(function ScheduleLines({
  points,
  axis,
  classroom,
}: {
  points: Points;
  axis: PlotAxis;
  classroom: boolean;
}) {
  const first = points[0]?.iteration ?? 0;
  const last = points.at(-1)?.iteration ?? 1;
  const x = niceTicks(first, last, 5);
  return (
    <Plot
      classroom={classroom}
      label="Learning rate at every iteration of the retraining phase"
      legend={false}
      x={{
        kind: 'linear',
        values: points.map((p) => p.iteration),
        domain: [first, Math.max(last, first + 1)],
        ticks: x.ticks.filter((t) => t >= first && t <= last),
        format: (v) => String(v),
        title: 'iteration',
      }}
      left={axis}
      readoutTitle={(v) => `iteration ${v}`}
      readoutValue={(v) => v.toPrecision(3)}
      series={[
        {
          kind: 'line',
          name: 'learning rate',
          values: points.map((p) => p.lr),
          colour: PALETTE[2]!,
          width: 2,
        },
      ]}
    />
  );
});

export function LrScheduleChart() {
  // Queued: a new schedule (a retraining phase starts) redraws at its turn, not in the task of
  // the worker's message.
  const schedule = useQueuedValue(useApp(lrScheduleView));
  const name = useApp((s) =>
    schedule?.preview ? s.config.retrainSchedule : (shownResults(s)?.config.retrainSchedule ?? ''),
  );
  const current = useApp((s) =>
    s.progress?.phase === 'retrain' && s.progress.cycle === schedule?.cycle && !openedRun(s)
      ? s.progress.iteration
      : undefined,
  );
  const gmp = useApp((s) => (openedRun(s)?.results.config.regime ?? s.config.regime) === 'gmp');
  const classroom = useApp((s) => s.view.classroom);
  const points = schedule?.points ?? NO_POINTS;
  // Round ticks from 0 to the peak rate, in a gutter as wide as the longest label (FT's
  // constant 0.001 needs "0.0008").
  const axis = useMemo(() => {
    const y = niceTicks(0, Math.max(0, ...points.map((p) => p.lr)), 5);
    return ticksAxis(y, (v) => formatTick(v, y.decimals), classroom);
  }, [points, classroom]);
  const left = axis.width;
  const last = points.at(-1)?.iteration ?? 0;
  const title =
    schedule && !schedule.preview
      ? `Retraining learning rate, cycle ${schedule.cycle} (${name.toUpperCase()})`
      : `Retraining learning rate (${name.toUpperCase()}, preview)`;
  return (
    <ChartCard
      id="lr-schedule"
      title={title}
      empty={points.length === 0}
      table={{
        columns: ['iteration', 'learning rate'],
        rows: points.map((p) => [p.iteration, p.lr]),
      }}
      emptyText={
        gmp
          ? 'GMP prunes during its one training run: there is no retraining phase.'
          : 'No retraining phase: retrain epochs is 0.'
      }
    >
      <ScheduleLines points={points} axis={axis} classroom={classroom} />
      {current !== undefined && last > 0 ? (
        <div
          className="now-marker"
          data-testid="lr-now"
          style={{
            bottom: `${xAxisHeight(classroom) + PLOT_BOTTOM}px`,
            left: `calc(${left}px + (100% - ${left + PLOT_RIGHT}px) * ${Math.min(1, current / last)})`,
          }}
        >
          <span>now</span>
        </div>
      ) : null}
    </ChartCard>
  );
}
