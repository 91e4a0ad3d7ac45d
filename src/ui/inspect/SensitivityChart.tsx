/**
 * Layer sensitivity (Distiller's analysis): for the chosen state, each layer pruned alone to
 * 10 … 99% with no retraining, test accuracy against that layer's sparsity, one curve per
 * layer, with global magnitude (against overall sparsity) for reference. Run on request in the
 * engine, with progress and Cancel; its numbers are kept in the results (`sensitivity`).
 */
import type { SensitivityRecord } from '../../worker/protocol';
import { useMemo } from 'react';
import { shownInspectCycle } from '../../state/inspect-slice';
import { ChartCard } from '../charts/ChartCard';
import { seriesColor } from '../charts/hatch';
import { Plot } from '../charts/Plot';
import { sparsityX, ticksAxis } from '../charts/plot-axes';
import { niceTicks } from '../charts/ticks';
import { useApp } from '../store-context';
import { useQueuedValue } from '../use-deferred-results';
import { afterState, stateName } from './inspect-draw';

const pct = (v: number) => `${v.toFixed(1)}%`;

export function SensitivityChart() {
  const cycle = useApp(shownInspectCycle);
  // By value: the results are a new object at every epoch, this analysis is not.
  const recordJson = useApp((s) => {
    const found =
      cycle === null ? undefined : s.results?.sensitivity?.find((r) => r.cycle === cycle);
    return found ? JSON.stringify(found) : '';
  });
  const record = useQueuedValue(
    useMemo(
      () => (recordJson ? (JSON.parse(recordJson) as SensitivityRecord) : undefined),
      [recordJson],
    ),
  );
  const analysed = useApp(
    (s) => s.results?.sensitivity?.map((r) => stateName(r.cycle)).join(', ') ?? '',
  );
  const running = useApp((s) => s.sensitivityRun);
  const error = useApp((s) => s.inspectError);
  const run = useApp((s) => s.runSensitivity);
  const cancel = useApp((s) => s.cancelSensitivity);
  const classroom = useApp((s) => s.view.classroom);

  const { curves, low } = useMemo(() => {
    const curves = (record?.curves ?? []).map((c) => ({
      layer: c.layer,
      points: c.points.map((p) => ({
        x: 100 * (c.layer === 'global' ? p.overallSparsity : p.layerSparsity),
        acc: 100 * p.testAccuracy,
      })),
    }));
    const all = curves.flatMap((c) => c.points.map((p) => p.acc));
    const low = all.length ? Math.max(0, Math.floor(Math.min(...all) / 10) * 10) : 0;
    return { curves, low };
  }, [record]);

  const chart = useMemo(() => {
    const y = niceTicks(low, 100, 5);
    return (
      <Plot
        classroom={classroom}
        label="Test accuracy against the sparsity of one layer pruned alone, one curve per layer"
        x={sparsityX([], 'sparsity of the pruned layer')}
        left={ticksAxis(y, (v) => `${v}%`, classroom)}
        readoutTitle={(v) => `sparsity ${pct(v)}`}
        readoutValue={pct}
        series={curves.map((c, i) => ({
          kind: 'line' as const,
          name: c.layer === 'global' ? 'global magnitude (overall sparsity)' : c.layer,
          colour: c.layer === 'global' ? 'currentColor' : seriesColor(i),
          width: 2,
          dash: c.layer === 'global' ? '6 4' : undefined,
          dot: 3,
          xs: c.points.map((p) => p.x),
          values: c.points.map((p) => p.acc),
        }))}
      />
    );
  }, [curves, low, classroom]);

  const table = record && {
    columns: ['layer', 'pruned to %', 'layer sparsity %', 'overall sparsity %', 'test accuracy %'],
    rows: record.curves.flatMap((c) =>
      c.points.map((p, k) => [
        c.layer,
        100 * (record.levels[k] ?? NaN),
        100 * p.layerSparsity,
        100 * p.overallSparsity,
        100 * p.testAccuracy,
      ]),
    ),
  };

  const busyHere = running !== null;
  return (
    <>
      <div className="inspect-actions">
        {busyHere ? (
          <>
            <label>
              {`Analysing the network ${afterState(running.cycle)}: `}
              <progress
                max={running.total || 1}
                value={running.done}
                aria-label="Sensitivity analysis progress"
              />
              {` ${running.done} of ${running.total || '…'} evaluations`}
            </label>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" disabled={cycle === null} onClick={() => void run()}>
            {cycle === null
              ? 'Run sensitivity'
              : `${record ? 'Run sensitivity again' : 'Run sensitivity'} (${afterState(cycle)})`}
          </button>
        )}
        {analysed ? <span className="inspect-hint">Analysed: {analysed}.</span> : null}
      </div>
      {error ? (
        <p className="inspect-error" role="alert">
          {error}
        </p>
      ) : null}
      <ChartCard
        id="sensitivity"
        title={
          cycle === null
            ? 'Accuracy vs the sparsity of one layer pruned alone'
            : `Accuracy vs the sparsity of one layer pruned alone, ${afterState(cycle)} (no retraining)`
        }
        empty={!record}
        emptyText={
          cycle === null
            ? 'Train the dense network, then run the analysis.'
            : 'Press Run sensitivity: each layer is pruned alone to 10 … 99% and tested.'
        }
        table={table}
      >
        {chart}
      </ChartCard>
    </>
  );
}
