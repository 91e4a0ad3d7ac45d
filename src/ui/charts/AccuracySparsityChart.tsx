/**
 * Test accuracy vs sparsity: right after each prune and after its retraining (IMP), or at the
 * end of each epoch of the pruning run (GMP).
 */
import { useMemo, useState } from 'react';
import { accuracyVsSparsity, shownDenseDone, shownResults } from '../../state/selectors';
import { useApp } from '../store-context';
import { useQueuedValue } from '../use-deferred-results';
import { useSameValue } from '../use-same-value';
import { ChartCard } from './ChartCard';
import { PALETTE } from './palette';
import { Plot, type PlotSeries } from './Plot';
import { SeedBandNote, type BandMode } from './SeedBand';
import { accuracyAxis, sparsityX } from './plot-axes';

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
  // Memoised on its data: a store update that leaves the data alone skips the drawing.
  const chart = useMemo(() => {
    const y = accuracyAxis(
      points.flatMap((p) => [
        p.afterPrune,
        p.afterRetrain,
        p.duringTraining,
        ...(seeds > 1
          ? [p[`afterPrune${suffix}`], p[`afterRetrain${suffix}`], p[`duringTraining${suffix}`]]
          : []
        ).flatMap((b) => b ?? []),
      ]),
      classroom,
    );
    // A band under each line: the seeds' spread around their mean (drawn first, so below).
    const bandOf = (
      key: 'afterPrune' | 'afterRetrain' | 'duringTraining',
      colour: string,
    ): PlotSeries[] =>
      seeds > 1
        ? [
            {
              kind: 'band',
              name: `${key} band`,
              hidden: true,
              colour,
              values: points.map((p) => p[`${key}${suffix}`]),
            },
          ]
        : [];
    const series: PlotSeries[] = gmp
      ? [
          ...bandOf('duringTraining', PALETTE[2]!),
          {
            kind: 'line',
            name: 'GMP, end of each epoch',
            values: points.map((p) => p.duringTraining),
            colour: PALETTE[2]!,
            width: 2,
            dot: 4,
          },
        ]
      : [
          ...bandOf('afterPrune', PALETTE[1]!),
          ...bandOf('afterRetrain', PALETTE[0]!),
          {
            kind: 'line',
            name: 'after prune',
            values: points.map((p) => p.afterPrune),
            colour: PALETTE[1]!,
            dash: '5 4',
            dot: 4,
            connectNulls: true,
          },
          {
            kind: 'line',
            name: 'after retrain',
            values: points.map((p) => p.afterRetrain),
            colour: PALETTE[0]!,
            width: 2,
            dot: 4,
            connectNulls: true,
          },
        ];
    return (
      <Plot
        classroom={classroom}
        label="Test accuracy against sparsity"
        x={sparsityX(points.map((p) => p.sparsity))}
        left={y}
        readoutTitle={(v) => `sparsity ${pct(v)}`}
        readoutValue={pct}
        series={series}
      />
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
