/**
 * The learning rate of every iteration of the latest retraining phase, as recorded in the
 * results, or before any the preview of the next one (computed from the settings at once).
 */
import { memo } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { lrScheduleView, openedRun, shownResults } from '../../state/selectors';
import { useApp } from '../store-context';
import { ChartCard } from './ChartCard';
import { PALETTE, axisWidth } from './palette';

/** Plot-area insets of the chart below, in px: the y axis on the left, the margin on the right. */
const PLOT_LEFT = 56;
const PLOT_RIGHT = 16;

type Points = { iteration: number; lr: number }[];

/** The schedule itself: re-rendered only when a new phase starts, not on every progress tick. */
const ScheduleLines = memo(function ScheduleLines({
  points,
  left,
}: {
  points: Points;
  left: number;
}) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={points} margin={{ top: 8, right: PLOT_RIGHT, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="iteration"
          type="number"
          domain={['dataMin', 'dataMax']}
          label={{ value: 'iteration', position: 'insideBottomRight', offset: -4 }}
        />
        <YAxis width={left} tickFormatter={(v: number) => v.toPrecision(2)} />
        <Tooltip
          formatter={(v) => Number(v).toPrecision(3)}
          labelFormatter={(v) => `iteration ${v}`}
        />
        <Line
          name="learning rate"
          dataKey="lr"
          stroke={PALETTE[2]}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
});

export function LrScheduleChart() {
  const schedule = useApp(lrScheduleView);
  const name = useApp((s) =>
    schedule?.preview ? s.config.retrainSchedule : (shownResults(s)?.config.retrainSchedule ?? ''),
  );
  const current = useApp((s) =>
    s.progress?.phase === 'retrain' && s.progress.cycle === schedule?.cycle && !openedRun(s)
      ? s.progress.iteration
      : undefined,
  );
  const gmp = useApp((s) => (openedRun(s)?.results.config.regime ?? s.config.regime) === 'gmp');
  const left = axisWidth(
    PLOT_LEFT,
    useApp((s) => s.view.classroom),
  );
  const points = schedule?.points ?? [];
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
      <ScheduleLines points={points} left={left} />
      {current !== undefined && last > 0 ? (
        <div
          className="now-marker"
          data-testid="lr-now"
          style={{
            left: `calc(${left}px + (100% - ${left + PLOT_RIGHT}px) * ${Math.min(1, current / last)})`,
          }}
        >
          <span>now</span>
        </div>
      ) : null}
    </ChartCard>
  );
}
