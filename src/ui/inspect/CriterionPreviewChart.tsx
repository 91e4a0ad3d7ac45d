/**
 * Criterion preview: on the chosen state's weights, the per-layer sparsity each criterion (and
 * the user's overrides) would give at the next prune, side by side, with the test accuracy
 * right after that prune (no retraining) in the legend. Computed in the engine on a network of
 * its own (inspect 'preview'); the run is not changed.
 */
import { useMemo } from 'react';
import { previewDeferred, shownInspectCycle } from '../../state/inspect-slice';
import type { PreviewView } from '../../worker/protocol';
import { ChartCard } from '../charts/ChartCard';
import { HatchDefs, hatchFill, seriesColor } from '../charts/hatch';
import { Plot } from '../charts/Plot';
import { percentAxis } from '../charts/plot-axes';
import { useApp } from '../store-context';
import { useQueuedValue } from '../use-deferred-results';
import { afterState, criterionName } from './inspect-draw';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

const seriesKey = (p: PreviewView['criteria'][number]) =>
  `${p.criterion}${p.overrides ? '+overrides' : ''}`;

export function CriterionPreviewChart() {
  const cycle = useApp(shownInspectCycle);
  const preview = useQueuedValue(
    useApp((s) => (cycle === null ? undefined : s.inspected[cycle]?.preview)),
  );
  const layers = useApp((s) => s.results?.model.layers.map((l) => l.name).join('\n') ?? '');
  const runCriterion = useApp((s) => s.results?.config.criterion);
  // By value: the results are a new object at every epoch, this prune's numbers are not.
  const actualJson = useApp((s) => {
    const c = preview ? s.results?.cycles.find((r) => r.cycle === preview.cycle) : undefined;
    return c
      ? JSON.stringify({
          cycle: c.cycle,
          layers: c.layers.map((l) => l.sparsity),
          sparsity: c.sparsity,
          testAccuracy: c.afterPrune.testAccuracy,
        })
      : '';
  });
  const actual = useMemo(
    () =>
      actualJson
        ? (JSON.parse(actualJson) as {
            cycle: number;
            layers: number[];
            sparsity: number;
            testAccuracy: number;
          })
        : undefined,
    [actualJson],
  );
  const classroom = useApp((s) => s.view.classroom);
  const deferred = useApp(previewDeferred);
  const names = useMemo(() => (layers ? layers.split('\n') : []), [layers]);

  const { rows, series } = useMemo(() => {
    const criteria = preview?.criteria ?? [];
    const series = criteria.map((p) => ({
      key: seriesKey(p),
      name:
        `${criterionName(p.criterion)}${p.overrides ? ' + overrides' : ''}` +
        `${p.criterion === runCriterion && (p.overrides || criteria.every((q) => !q.overrides)) ? ' (this run)' : ''}` +
        `: ${pct(p.testAccuracy)} acc.`,
    }));
    const rows = [...names, 'all layers'].map((layer, l) => {
      const row: Record<string, string | number> = { layer };
      for (const p of criteria) {
        row[seriesKey(p)] = 100 * (l < names.length ? p.layers[l]! : p.sparsity);
      }
      return row;
    });
    return { rows, series };
  }, [preview, names, runCriterion]);

  const chart = useMemo(
    () => (
      <Plot
        classroom={classroom}
        label="Sparsity of each layer at the next prune, by criterion"
        defs={<HatchDefs prefix="preview-hatch" count={series.length} />}
        x={{ kind: 'category', labels: rows.map((r) => String(r.layer)) }}
        left={percentAxis(classroom)}
        readoutValue={(v) => `${v.toFixed(1)}%`}
        series={series.map((s, i) => ({
          kind: 'bar' as const,
          name: s.name,
          colour: seriesColor(i),
          fill: hatchFill('preview-hatch', i),
          values: rows.map((r) => r[s.key] as number | undefined),
        }))}
      />
    ),
    [rows, series, classroom],
  );

  const table = preview && {
    columns: [
      'criterion',
      ...names.map((n) => `${n} sparsity %`),
      'all layers %',
      'test accuracy after prune %',
    ],
    rows: [
      ...preview.criteria.map((p) => [
        `${criterionName(p.criterion)}${p.overrides ? ' + overrides' : ''}`,
        ...p.layers.map((v) => 100 * v),
        100 * p.sparsity,
        100 * p.testAccuracy,
      ]),
      ...(actual
        ? [
            [
              `this run's prune (cycle ${actual.cycle})`,
              ...actual.layers.map((v) => 100 * v),
              100 * actual.sparsity,
              100 * actual.testAccuracy,
            ],
          ]
        : []),
    ],
  };

  return (
    <ChartCard
      id="criterion-preview"
      title={
        cycle === null
          ? 'Per-layer sparsity each criterion would give at the next prune'
          : `Per-layer sparsity each criterion would give at prune ${cycle + 1}, on the weights ${afterState(cycle)}`
      }
      empty={!preview}
      emptyText={
        cycle === null
          ? 'Train the dense network to preview the criteria.'
          : deferred
            ? 'The preview comes when the run pauses or ends: it prunes and tests a copy of the network once per criterion, which would slow the training.'
            : 'Pruning copies of the network with every criterion…'
      }
      table={table}
    >
      {chart}
    </ChartCard>
  );
}
