/**
 * Test accuracy vs sparsity: right after each prune and after its retraining (IMP), or at the
 * end of each epoch of the pruning run (GMP).
 */
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useMemo, useState } from 'react';
import { accuracyVsSparsity, shownDenseDone, shownResults } from '../../state/selectors';
import { useApp } from '../store-context';
import { useQueuedValue } from '../use-deferred-results';
import { useSameValue } from '../use-same-value';
import { ChartCard } from './ChartCard';
import { PALETTE } from './palette';
import { SeedBandNote, type BandMode } from './SeedBand';
import { accuracyTicks, formatTick, gutterFor } from './ticks';

const pct = (v: number) => `${v.toFixed(1)}%`;

export function AccuracySparsityChart() {
  // Both queued together: the dense point appears when the status says dense training is
  // done, and that too must redraw at the chart's turn, not in the worker message's task.
  const latest = useApp(shownResults);
  const latestDenseDone = useApp(shownDenseDone);
  const { results, denseDone } = useQueuedValue(
    useMemo(() => ({ results: latest, denseDone: latestDenseDone }), [latest, latestDenseDone]),
  );
  // Kept by content: only a prune or the end of a retraining changes them.
  const points = useSameValue(
    useMemo(() => accuracyVsSparsity(results, denseDone), [results, denseDone]),
  );
  const gmp = Boolean(results?.gmp);
  const classroom = useApp((s) => s.view.classroom);
  const [band, setBand] = useState<BandMode>('std');
  const seeds = Math.max(0, ...points.map((p) => p.n ?? 0));
  const suffix = band === 'std' ? 'Std' : 'Range';
  // Memoised on its data: a store update that leaves the data alone skips recharts.
  const chart = useMemo(() => {
    const y = accuracyTicks(
      points.flatMap((p) => [
        p.afterPrune,
        p.afterRetrain,
        p.duringTraining,
        ...(seeds > 1
          ? [p[`afterPrune${suffix}`], p[`afterRetrain${suffix}`], p[`duringTraining${suffix}`]]
          : []
        ).flatMap((b) => b ?? []),
      ]),
    );
    // A band under each line: the seeds' spread around their mean (drawn first, so below).
    const bandArea = (key: 'afterPrune' | 'afterRetrain' | 'duringTraining', colour: string) =>
      seeds > 1 ? (
        <Area
          dataKey={`${key}${suffix}`}
          stroke="none"
          fill={colour}
          fillOpacity={0.18}
          legendType="none"
          tooltipType="none"
          connectNulls
          isAnimationActive={false}
        />
      ) : null;
    const yLabel = (v: number) => `${formatTick(v, y.decimals)}%`;
    return (
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
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
          {gmp ? null : bandArea('afterPrune', PALETTE[1]!)}
          {gmp ? null : bandArea('afterRetrain', PALETTE[0]!)}
          {gmp ? bandArea('duringTraining', PALETTE[2]!) : null}
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
        </ComposedChart>
      </ResponsiveContainer>
    );
  }, [points, gmp, classroom, seeds, suffix]);
  const mean = seeds > 1 ? ' (mean)' : '';
  const bandColumns = (what: string) =>
    seeds > 1
      ? [
          `${what} ${band === 'std' ? '− std' : 'min'} %`,
          `${what} ${band === 'std' ? '+ std' : 'max'} %`,
        ]
      : [];
  const bandCells = (b: [number, number] | undefined) => (seeds > 1 ? [b?.[0], b?.[1]] : []);
  return (
    <ChartCard
      id="accuracy-sparsity"
      title="Test accuracy vs sparsity"
      empty={points.length === 0}
      emptyText="Train the dense network to see its accuracy here."
      note={
        seeds > 1 ? (
          <SeedBandNote
            seeds={seeds}
            mode={band}
            onMode={setBand}
            also={`The other charts show seed ${results?.config.seed ?? ''}'s run.`}
          />
        ) : null
      }
      table={
        results?.gmp
          ? {
              columns: [
                'sparsity %',
                `test accuracy %${mean} (GMP, end of epoch)`,
                ...bandColumns('test accuracy'),
                ...(seeds > 1 ? ['seeds'] : []),
              ],
              rows: points.map((p) => [
                p.sparsity,
                p.duringTraining,
                ...bandCells(p[`duringTraining${suffix}`]),
                ...(seeds > 1 ? [p.n] : []),
              ]),
            }
          : {
              columns: [
                'sparsity %',
                `after prune %${mean}`,
                ...bandColumns('after prune'),
                `after retrain %${mean}`,
                ...bandColumns('after retrain'),
                ...(seeds > 1 ? ['seeds'] : []),
              ],
              rows: points.map((p) => [
                p.sparsity,
                p.afterPrune,
                ...bandCells(p[`afterPrune${suffix}`]),
                p.afterRetrain,
                ...bandCells(p[`afterRetrain${suffix}`]),
                ...(seeds > 1 ? [p.n] : []),
              ]),
            }
      }
    >
      {chart}
    </ChartCard>
  );
}
