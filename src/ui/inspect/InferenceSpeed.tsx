/**
 * "Inference speed": is the pruned model faster? On request, the engine times the shown state's
 * forward pass on the lab's WASM SIMD kernels at batch 1 and 128, dense (every weight) against
 * sparse (CSR where it wins), and tfjs for reference; the chart puts the measured speed-up beside
 * the compression report's theoretical FLOPs speed-up. A collapsible region like the other
 * views (InspectSection's CollapsibleView; its own open flag, in the inference slice).
 */
import { useMemo } from 'react';
import { shownInferenceBench } from '../../state/inference-slice';
import { shownInspectCycle } from '../../state/inspect-slice';
import { ChartCard } from '../charts/ChartCard';
import { HatchDefs, hatchFill, seriesColor } from '../charts/hatch';
import { Plot } from '../charts/Plot';
import { ticksAxis } from '../charts/plot-axes';
import { formatTick, niceTicks } from '../charts/ticks';
import { useApp } from '../store-context';
import { afterState } from './inspect-draw';
import { CollapsibleView } from './InspectSection';

const TITLE = 'Inference speed';

const times = (v: number) => `${v.toFixed(2)}×`;

function SpeedChart() {
  const cycle = useApp(shownInspectCycle);
  const bench = useApp(shownInferenceBench);
  const running = useApp((s) => s.inferenceRunning);
  const error = useApp((s) => s.inferenceError);
  const measure = useApp((s) => s.measureInference);
  const classroom = useApp((s) => s.view.classroom);

  const rows = useMemo(
    () =>
      (bench?.batches ?? []).map((b) => ({
        batch: `batch ${b.batch}`,
        measured: b.speedup,
        theoretical: bench!.theoreticalSpeedup,
      })),
    [bench],
  );

  const chart = useMemo(() => {
    const y = niceTicks(0, Math.max(1, ...rows.flatMap((r) => [r.measured, r.theoretical])), 5);
    return (
      <Plot
        classroom={classroom}
        label="Measured against theoretical inference speed-up, batch 1 and 128"
        defs={<HatchDefs prefix="speed-hatch" count={2} />}
        x={{ kind: 'category', labels: rows.map((r) => r.batch) }}
        left={ticksAxis(y, (v) => `${formatTick(v, y.decimals)}×`, classroom, 'speed-up')}
        readoutValue={times}
        series={[
          {
            kind: 'bar',
            name: 'measured: CSR ÷ dense kernels (best round)',
            colour: seriesColor(0),
            fill: hatchFill('speed-hatch', 0),
            values: rows.map((r) => r.measured),
          },
          {
            kind: 'bar',
            name: 'theoretical: dense ÷ sparse FLOPs',
            colour: seriesColor(1),
            fill: hatchFill('speed-hatch', 1),
            values: rows.map((r) => r.theoretical),
          },
        ]}
      />
    );
  }, [rows, classroom]);

  const table = bench
    ? {
        columns: [
          'batch',
          'dense samples/s',
          'CSR samples/s',
          'measured speed-up ×',
          'median speed-up ×',
          'theoretical FLOPs speed-up ×',
          `tfjs (${bench.tfjsBackend ?? '—'}) samples/s`,
        ],
        rows: bench.batches.map((b) => [
          b.batch,
          Math.round(b.dense.best),
          Math.round(b.sparse.best),
          b.speedup,
          b.medianSpeedup,
          bench.theoreticalSpeedup,
          b.tfjs ? Math.round(b.tfjs.best) : null,
        ]),
      }
    : undefined;

  return (
    <>
      <div className="inspect-actions">
        <button
          type="button"
          disabled={cycle === null || running !== null}
          onClick={() => void measure()}
        >
          {running !== null
            ? `Measuring ${afterState(running)}…`
            : cycle === null
              ? 'Measure inference speed'
              : `Measure inference speed (${afterState(cycle)})`}
        </button>
        {bench ? (
          <span className="inspect-hint">
            {`Sparsity ${(100 * bench.sparsity).toFixed(1)}%; layers: ${bench.layers
              .map(
                (l) =>
                  `${l.name} ${(100 * l.density).toFixed(0)}% alive (${l.single === l.batch ? l.single : `${l.single} at batch 1, ${l.batch} at 128`})`,
              )
              .join(', ')}. Best of ${bench.rounds} rounds.`}
          </span>
        ) : null}
      </div>
      {error ? (
        <p className="inspect-error" role="alert">
          {error}
        </p>
      ) : null}
      <ChartCard
        id="inference-speed"
        title={
          cycle === null
            ? 'Measured and theoretical inference speed-up'
            : `Measured and theoretical inference speed-up, ${afterState(cycle)}`
        }
        empty={!bench}
        emptyText={
          cycle === null
            ? 'Train the dense network, then measure.'
            : 'Press Measure: the forward pass is timed, dense against sparse kernels, for a few seconds.'
        }
        table={table}
      >
        {chart}
      </ChartCard>
    </>
  );
}

/** The view as a collapsible region named "Inference speed". */
export function InferenceSpeed() {
  const open = useApp((s) => s.inferenceOpen);
  const setOpen = useApp((s) => s.setInferenceOpen);
  return (
    <CollapsibleView
      title={TITLE}
      hint="Is the pruned model faster? Its forward pass timed on dense and on sparse (CSR) kernels, beside the theoretical FLOPs speed-up."
      open={open}
      onToggle={() => setOpen(!open)}
    >
      {() => <SpeedChart />}
    </CollapsibleView>
  );
}
