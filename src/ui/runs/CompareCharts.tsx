/**
 * Pinned runs side by side: accuracy vs sparsity overlaid, and the final per-layer rates
 * grouped by layer. Each run has its colour and also its own dash pattern and marker (lines)
 * or hatching (bars), so the charts read without colour; the legend names only what differs
 * between the runs.
 */
import { useMemo, useState } from 'react';
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { SavedRun } from '../../state/run-archive';
import { compareLabels } from '../../state/run-labels';
import { ChartCard } from '../charts/ChartCard';
import { HatchDefs, hatchFill } from '../charts/hatch';
import { ACCURACY_DOMAIN, PALETTE, axisWidth } from '../charts/palette';
import { SeedBandNote, type BandMode } from '../charts/SeedBand';
import { useApp } from '../store-context';
import { accuracyCurve, finalLayerRates } from './run-series';

const DASHES = ['', '6 3', '2 3', '10 3 2 3', '1 5', '8 6'];
const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star'] as const;
const pct = (v: number) => `${v.toFixed(1)}%`;

function Marker({ cx, cy, index, fill }: { cx?: number; cy?: number; index: number; fill: string }) {
  if (cx === undefined || cy === undefined) return null;
  const shape = MARKERS[index % MARKERS.length];
  const r = 4;
  switch (shape) {
    case 'square':
      return <rect x={cx - r} y={cy - r} width={2 * r} height={2 * r} fill={fill} />;
    case 'triangle':
      return <polygon points={`${cx},${cy - r} ${cx + r},${cy + r} ${cx - r},${cy + r}`} fill={fill} />;
    case 'diamond':
      return <polygon points={`${cx},${cy - r} ${cx + r},${cy} ${cx},${cy + r} ${cx - r},${cy}`} fill={fill} />;
    case 'cross':
      return <path d={`M${cx - r},${cy - r}L${cx + r},${cy + r}M${cx - r},${cy + r}L${cx + r},${cy - r}`} stroke={fill} strokeWidth={2} />;
    default:
      return <circle cx={cx} cy={cy} r={r} fill={fill} />;
  }
}

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
        <ResponsiveContainer width="100%" height={280}>
          <ComposedChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="sparsity"
              type="number"
              domain={[0, 100]}
              tickFormatter={(v: number) => `${v}%`}
              allowDuplicatedCategory={false}
            />
            <YAxis domain={ACCURACY_DOMAIN} tickFormatter={pct} width={axisWidth(64, classroom)} />
            <Tooltip formatter={(v) => pct(Number(v))} labelFormatter={(v) => `sparsity ${pct(Number(v))}`} />
            <Legend />
            {seeds > 1
              ? series.map((s) =>
                  s.points.some((p) => p[bandKey]) ? (
                    <Area
                      key={`${s.id}-band`}
                      data={s.points}
                      dataKey={bandKey}
                      stroke="none"
                      fill={s.color}
                      fillOpacity={0.15}
                      legendType="none"
                      tooltipType="none"
                      isAnimationActive={false}
                    />
                  ) : null,
                )
              : null}
            {series.map((s, i) => (
              <Line
                key={s.id}
                name={s.label}
                data={s.points}
                dataKey="accuracy"
                stroke={s.color}
                strokeWidth={2}
                strokeDasharray={DASHES[i % DASHES.length]}
                dot={(props: { cx?: number; cy?: number; index?: number }) => (
                  <Marker
                    key={props.index ?? 0}
                    cx={props.cx}
                    cy={props.cy}
                    index={i}
                    fill={s.color}
                  />
                )}
                legendType={MARKERS[i % MARKERS.length] === 'cross' ? 'cross' : MARKERS[i % MARKERS.length]}
                isAnimationActive={false}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
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
        <ResponsiveContainer width="100%" height={280}>
          <BarChart data={layerRows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <HatchDefs prefix="run-hatch" count={series.length} />
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="layer" />
            <YAxis domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} width={axisWidth(56, classroom)} />
            <Tooltip formatter={(v) => pct(Number(v))} />
            <Legend />
            {series.map((s, i) => (
              <Bar
                key={s.id}
                name={s.label}
                dataKey={`run${i}`}
                fill={hatchFill('run-hatch', i)}
                stroke={s.color}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
    </div>
  );
}
