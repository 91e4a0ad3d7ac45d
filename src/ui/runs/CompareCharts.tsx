/**
 * Pinned runs side by side: accuracy vs sparsity overlaid, and the final per-layer rates
 * grouped by layer. Each run has its colour and also its own dash pattern and marker (lines)
 * or hatching (bars), so the charts read without colour; the legend names only what differs
 * between the runs.
 */
import { useMemo, useState } from 'react';
import type { SavedRun } from '../../state/run-archive';
import { compareLabels } from '../../state/run-labels';
import { ChartCard } from '../charts/ChartCard';
import { HatchDefs, hatchFill } from '../charts/hatch';
import { PALETTE } from '../charts/palette';
import { Plot, type Marker, type PlotSeries } from '../charts/Plot';
import { accuracyAxis, percentAxis, sparsityX } from '../charts/plot-axes';
import { SeedBandNote, type BandMode } from '../charts/SeedBand';
import { useApp } from '../store-context';
import { accuracyCurve, finalLayerRates } from './run-series';

const DASHES = [undefined, '6 3', '2 3', '10 3 2 3', '1 5', '8 6'];
const MARKERS: Marker[] = ['circle', 'square', 'triangle', 'diamond', 'cross'];
const pct = (v: number) => `${v.toFixed(1)}%`;

export function CompareCharts({ runs }: { runs: readonly SavedRun[] }) {
  const classroom = useApp((s) => s.view.classroom);
  const labels = useMemo(() => compareLabels(runs), [runs]);
  const series = useMemo(
    () =>
      runs.map((run, i) => ({
        id: run.id,
        label: labels[i]!,
        color: PALETTE[i % PALETTE.length]!,
        points: accuracyCurve(run.results),
      })),
    [runs, labels],
  );
  const [band, setBand] = useState<BandMode>('std');
  const seeds = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.n ?? 0)));
  const bandKey = band === 'std' ? 'std' : 'range';
  const sameModel = runs.every((r) => r.results.config.model === runs[0]?.results.config.model);
  const layerRows = useMemo(() => {
    if (!sameModel || runs.length === 0) return [];
    const names = runs[0]!.results.model.layers.map((l) => l.name);
    const rates = runs.map((r) => finalLayerRates(r.results));
    return names.map((name) => {
      const row: Record<string, number | string> = { layer: name };
      rates.forEach((r, i) => (row[`run${i}`] = r[name] ?? 0));
      return row;
    });
  }, [runs, sameModel]);

  // Memoised on their data: a pinned run's arrival redraws them once.
  const accuracyChart = useMemo(() => {
    const y = accuracyAxis(
      series.flatMap((s) =>
        s.points.flatMap((p) => [p.accuracy, ...(seeds > 1 ? (p[bandKey] ?? []) : [])]),
      ),
      classroom,
    );
    const lines: PlotSeries[] = [
      ...(seeds > 1
        ? series
            .filter((s) => s.points.some((p) => p[bandKey]))
            .map(
              (s): PlotSeries => ({
                kind: 'band',
                name: `${s.label} band`,
                hidden: true,
                colour: s.color,
                xs: s.points.map((p) => p.sparsity),
                values: s.points.map((p) => p[bandKey]),
              }),
            )
        : []),
      ...series.map(
        (s, i): PlotSeries => ({
          kind: 'line',
          name: s.label,
          colour: s.color,
          width: 2,
          dash: DASHES[i % DASHES.length],
          dot: 4,
          marker: MARKERS[i % MARKERS.length],
          xs: s.points.map((p) => p.sparsity),
          values: s.points.map((p) => p.accuracy),
        }),
      ),
    ];
    return (
      <Plot
        classroom={classroom}
        label={`Test accuracy against sparsity of ${series.map((s) => s.label).join(', ')}`}
        x={sparsityX([])}
        left={y}
        readoutTitle={(v) => `sparsity ${pct(v)}`}
        readoutValue={pct}
        series={lines}
      />
    );
  }, [series, seeds, bandKey, classroom]);
  const layerChart = useMemo(
    () => (
      <Plot
        classroom={classroom}
        label="Final sparsity of each layer in each compared run"
        defs={<HatchDefs prefix="run-hatch" count={series.length} />}
        x={{ kind: 'category', labels: layerRows.map((r) => String(r.layer)) }}
        left={percentAxis(classroom)}
        readoutValue={pct}
        series={series.map((s, i) => ({
          kind: 'bar' as const,
          name: s.label,
          colour: s.color,
          fill: hatchFill('run-hatch', i),
          values: layerRows.map((r) => r[`run${i}`] as number | undefined),
        }))}
      />
    ),
    [series, layerRows, classroom],
  );

  return (
    <div className="charts compare-charts">
      {runs.length > 1 ? (
        <p className="compare-title" data-testid="compare-title">
          Comparing {labels.join(' vs ')}
        </p>
      ) : null}
      <ChartCard
        id="compare-accuracy"
        title="Compared runs: test accuracy vs sparsity"
        empty={runs.length === 0}
        emptyText="Pin runs in the list to compare them here."
        note={
          seeds > 1 ? (
            <SeedBandNote
              seeds={seeds}
              mode={band}
              onMode={setBand}
              also="A run with one seed has no band."
            />
          ) : null
        }
        table={{
          columns: [
            'run',
            'sparsity %',
            `test accuracy %${seeds > 1 ? ' (mean over seeds)' : ''}`,
            ...(seeds > 1
              ? [band === 'std' ? '− std %' : 'min %', band === 'std' ? '+ std %' : 'max %', 'seeds']
              : []),
          ],
          rows: series.flatMap((s) =>
            s.points.map((p) => [
              s.label,
              p.sparsity,
              p.accuracy,
              ...(seeds > 1 ? [p[bandKey]?.[0], p[bandKey]?.[1], p.n ?? 1] : []),
            ]),
          ),
        }}
      >
        {accuracyChart}
      </ChartCard>
      <ChartCard
        id="compare-layers"
        title="Compared runs: final sparsity per layer"
        empty={layerRows.length === 0}
        emptyText={
          runs.length > 0 && !sameModel
            ? 'The pinned runs use different models: their layers cannot be lined up.'
            : 'Pin runs in the list to compare them here.'
        }
        table={{
          columns: ['layer', ...series.map((s) => `${s.label}: sparsity %`)],
          rows: layerRows.map((r) => [r.layer, ...series.map((_, i) => r[`run${i}`])]),
        }}
      >
        {layerChart}
      </ChartCard>
    </div>
  );
}
