/** The learning rate over the current (or, before any retraining, the next) retraining phase. */
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store-context';
import { ChartCard } from './ChartCard';
import { PALETTE } from './palette';

export function LrScheduleChart() {
  const schedule = useApp(useShallow((s) => s.schedule));
  const name = useApp((s) => s.results?.config.retrainSchedule ?? s.config.retrainSchedule);
  const current = useApp((s) =>
    s.progress?.phase === 'retrain' && s.progress.cycle === s.schedule?.cycle
      ? s.progress.iteration
      : undefined,
  );
  const title =
    schedule && schedule.cycle > 0
      ? `Retraining learning rate, cycle ${schedule.cycle} (${name.toUpperCase()})`
      : `Retraining learning rate (${name.toUpperCase()}, preview)`;
  return (
    <ChartCard
      id="lr-schedule"
      title={title}
      empty={!schedule || schedule.points.length === 0}
      emptyText="No retraining phase (0 retrain epochs), or the engine is still starting."
    >
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={schedule?.points ?? []} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="iteration"
            type="number"
            domain={['dataMin', 'dataMax']}
            label={{ value: 'iteration', position: 'insideBottomRight', offset: -4 }}
          />
          <YAxis width={56} tickFormatter={(v: number) => v.toPrecision(2)} />
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
          {current !== undefined ? (
            <ReferenceLine x={current} stroke={PALETTE[6]} strokeDasharray="3 3" label="now" />
          ) : null}
        </LineChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
