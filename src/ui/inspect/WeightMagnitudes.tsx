/**
 * Weight magnitudes: per layer, the histogram of |w| of the surviving weights on a log axis
 * shared by every state of the run, with the cut of the prune that made this state (solid) and
 * of the prune that followed it (dashed): for global magnitude one line across all layers, for
 * the layer-wise criteria one per layer. The engine sends the bins (inspect 'weights').
 */
import { useMemo } from 'react';
import { shownInspectCycle } from '../../state/inspect-slice';
import type { WeightMagnitudes as WeightView } from '../../worker/protocol';
import { ChartCard, type ChartTable } from '../charts/ChartCard';
import { seriesColor } from '../charts/hatch';
import { PALETTE } from '../charts/palette';
import { useApp } from '../store-context';
import { useQueuedValue } from '../use-deferred-results';
import {
  afterState,
  criterionName,
  cutLines,
  formatMagnitude,
  logTicks,
  type CutLine,
} from './inspect-draw';
import { useSize } from '../use-size';

const count = (n: number) => n.toLocaleString('en-US');
const MADE = PALETTE[1]!;
const NEXT = PALETTE[6]!;

type LegendItem = { colour: string; dash: string | undefined; text: string };

/** LAMP's scores drawn as the histograms draw |w|: its one cut across every layer. */
function lampDrawing(view: WeightView, lamp: NonNullable<WeightView['lamp']>) {
  const scoreView: WeightView = { ...view, edges: lamp.edges, layers: lamp.layers };
  const lines: CutLine[] =
    lamp.cut === null ? [] : [{ layer: 'all', value: lamp.cut, which: 'next', cycle: lamp.cycle }];
  const legend: LegendItem[] =
    lamp.cut === null
      ? []
      : [
          {
            colour: NEXT,
            dash: '6 4',
            text: `LAMP's next prune (cycle ${lamp.cycle}) removes every score up to the line, in every layer`,
          },
        ];
  return { scoreView, lines, legend };
}

function Histograms({
  view,
  width,
  classroom,
  withOverrides,
  cycle,
  override,
}: {
  view: WeightView;
  width: number;
  classroom: boolean;
  withOverrides: boolean;
  cycle: number;
  /** Another quantity on the same layout (LAMP's scores): its lines, legend and axis title. */
  override?: { lines: CutLine[]; legend: LegendItem[]; axis: string; label: string };
}) {
  const font = classroom ? 16 : 12;
  const n = view.layers.length;
  const columns = n > 6 && width > 700 ? 2 : 1;
  const perColumn = Math.ceil(n / columns);
  const gap = 18;
  const colWidth = (width - (columns - 1) * gap) / columns;
  const labelH = font + 8;
  const panelH = classroom ? 92 : n > 6 ? 52 : 72;
  const rowH = labelH + panelH + 8;
  const axisH = font * 2 + 16;
  const lines = override?.lines ?? cutLines(view, withOverrides);
  const legend =
    override?.legend ??
    [
      lines.some((l) => l.which === 'made') && {
        colour: MADE,
        dash: undefined,
        text: `cut of cycle ${cycle}'s prune: it removed every |w| up to the line`,
      },
      lines.some((l) => l.which === 'next') && {
        colour: NEXT,
        dash: '6 4',
        text: `cut of the next prune (cycle ${cycle + 1}) on these weights`,
      },
      view.criterion === 'random' && {
        colour: '#888888',
        dash: '2 3',
        text: 'random pruning: no magnitude cut (removed and kept |w| overlap)',
      },
    ].filter((x): x is LegendItem => Boolean(x));
  const legendH = legend.length * (font + 10) + 6;
  const height = perColumn * rowH + axisH + legendH;

  const low = view.edges[0]!;
  const high = view.edges.at(-1)!;
  const span = Math.log10(high) - Math.log10(low);
  const x = (v: number, col: number) =>
    col * (colWidth + gap) +
    ((Math.log10(Math.min(high, Math.max(low, v))) - Math.log10(low)) / span) * colWidth;
  const ticks = logTicks(low, high);
  const panelTop = (i: number) => (i % perColumn) * rowH + labelH;

  return (
    <svg
      className="chart-surface"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={override?.label ?? `Histograms of |w| per layer, ${afterState(cycle)}`}
      fontSize={font}
      fontWeight={classroom ? 600 : 400}
      fill="currentColor"
    >
      {view.layers.map((layer, i) => {
        const col = Math.floor(i / perColumn);
        const top = panelTop(i);
        const peak = Math.max(1, ...layer.counts);
        const left = col * (colWidth + gap);
        const below = layer.below > 0 ? ` · ${count(layer.below)} below the axis` : '';
        return (
          <g key={layer.name} data-layer={layer.name}>
            <text x={left} y={top - 6}>
              <tspan fontWeight={700}>{layer.name}</tspan>
              {` · ${count(layer.alive)} alive · peak ${count(peak)} per bin${below}`}
            </text>
            {layer.counts.map((c, k) =>
              c > 0 ? (
                <rect
                  key={k}
                  x={x(view.edges[k]!, col)}
                  y={top + panelH - (c / peak) * panelH}
                  width={Math.max(0.5, x(view.edges[k + 1]!, col) - x(view.edges[k]!, col) - 0.5)}
                  height={(c / peak) * panelH}
                  fill={seriesColor(i)}
                />
              ) : null,
            )}
            <line
              x1={left}
              x2={left + colWidth}
              y1={top + panelH}
              y2={top + panelH}
              stroke="currentColor"
              strokeOpacity={0.5}
            />
            {lines
              .filter((l) => l.layer === i)
              .map((l) => (
                <line
                  key={l.which}
                  x1={x(l.value, col)}
                  x2={x(l.value, col)}
                  y1={top - 2}
                  y2={top + panelH}
                  stroke={l.which === 'made' ? MADE : NEXT}
                  strokeWidth={classroom ? 4 : 2.5}
                  strokeDasharray={l.which === 'next' ? '6 4' : undefined}
                >
                  <title>{`cycle ${l.cycle} cut in ${layer.name}: ${override ? 'score' : '|w|'} ≤ ${formatMagnitude(l.value)} removed`}</title>
                </line>
              ))}
          </g>
        );
      })}
      {/* Global magnitude: one line across every layer of each column. */}
      {Array.from({ length: columns }, (_, col) =>
        lines
          .filter((l) => l.layer === 'all')
          .map((l) => {
            const last = Math.min(n, (col + 1) * perColumn) - 1;
            return (
              <g key={`${col}-${l.which}`}>
                <line
                  x1={x(l.value, col)}
                  x2={x(l.value, col)}
                  y1={panelTop(col * perColumn) - labelH + 2}
                  y2={panelTop(last) + panelH}
                  stroke={l.which === 'made' ? MADE : NEXT}
                  strokeWidth={classroom ? 4 : 2.5}
                  strokeDasharray={l.which === 'next' ? '6 4' : undefined}
                />
                <text
                  x={x(l.value, col) + 4}
                  y={panelTop(last) + panelH - 4 - (l.which === 'next' ? font + 4 : 0)}
                  fill={l.which === 'made' ? MADE : NEXT}
                  fontWeight={700}
                  style={{ stroke: 'var(--panel, #ffffff)', strokeWidth: 3, paintOrder: 'stroke' }}
                >
                  {`${formatMagnitude(l.value)}`}
                </text>
              </g>
            );
          }),
      )}
      {/* The shared log axis under each column. */}
      {Array.from({ length: columns }, (_, col) => {
        const y0 = perColumn * rowH;
        return (
          <g key={`axis-${col}`} fillOpacity={0.9}>
            {ticks.map((t) => (
              <g key={t}>
                <line x1={x(t, col)} x2={x(t, col)} y1={y0 - 4} y2={y0 + 2} stroke="currentColor" />
                <text x={x(t, col)} y={y0 + font + 2} textAnchor="middle">
                  {formatMagnitude(t)}
                </text>
              </g>
            ))}
            <text
              x={col * (colWidth + gap) + colWidth / 2}
              y={y0 + 2 * font + 8}
              textAnchor="middle"
            >
              {override?.axis ?? '|w| of the surviving weights (log scale)'}
            </text>
          </g>
        );
      })}
      {legend.map((item, k) => {
        const y = perColumn * rowH + axisH + k * (font + 10) + font;
        return (
          <g key={item.text}>
            <line
              x1={0}
              x2={28}
              y1={y - font / 3}
              y2={y - font / 3}
              stroke={item.colour}
              strokeWidth={classroom ? 4 : 2.5}
              strokeDasharray={item.dash}
            />
            <text x={36} y={y}>
              {item.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** The histogram's numbers: one row per bin, one column per layer, then the totals and cuts. */
function histogramTable(view: WeightView, cycle: number): ChartTable {
  const names = view.layers.map((l) => l.name);
  const rows: (string | number | null)[][] = view.layers[0]!.counts.map((_, k) => [
    formatMagnitude(view.edges[k]!),
    formatMagnitude(view.edges[k + 1]!),
    ...view.layers.map((l) => String(l.counts[k])),
  ]);
  rows.push(['below the axis', '', ...view.layers.map((l) => String(l.below))]);
  rows.push(['above the axis', '', ...view.layers.map((l) => String(l.above))]);
  rows.push(['alive', '', ...view.layers.map((l) => String(l.alive))]);
  const exact = (v: number | null) => (v === null ? '—' : String(Number(v.toPrecision(6))));
  for (const cut of [view.made, view.next]) {
    if (!cut) continue;
    const when =
      cut.cycle === cycle ? `cycle ${cut.cycle} (made this state)` : `cycle ${cut.cycle}`;
    rows.push([
      `${when}: largest |w| removed`,
      '',
      ...cut.layers.map((c) => exact(c.prunedMaxAbs)),
    ]);
    rows.push([`${when}: smallest |w| kept`, '', ...cut.layers.map((c) => exact(c.keptMinAbs))]);
  }
  if (view.lamp) {
    const lamp = view.lamp;
    rows.push(['LAMP score from', 'LAMP score to', ...names.map(() => '')]);
    lamp.layers[0]!.counts.forEach((_, k) =>
      rows.push([
        formatMagnitude(lamp.edges[k]!),
        formatMagnitude(lamp.edges[k + 1]!),
        ...lamp.layers.map((l) => String(l.counts[k])),
      ]),
    );
    rows.push(['LAMP score below the axis', '', ...lamp.layers.map((l) => String(l.below))]);
    rows.push([
      `cycle ${lamp.cycle}: largest LAMP score removed`,
      '',
      ...lamp.layers.map(() => exact(lamp.cut)),
    ]);
  }
  return { columns: ['|w| from', '|w| to', ...names.map((n) => `${n} count`)], rows };
}

export function WeightMagnitudes() {
  const cycle = useApp(shownInspectCycle);
  // Deferred: a new state's drawing renders in the background, in slices, not in the task
  // that brought it from the worker.
  const view = useQueuedValue(
    useApp((s) => (cycle === null ? undefined : s.inspected[cycle]?.weights)),
  );
  const classroom = useApp((s) => s.view.classroom);
  const withOverrides = useApp(
    (s) => Object.keys(s.results?.config.layerOverrides ?? {}).length > 0,
  );
  const [ref, { width }] = useSize<HTMLDivElement>('width');
  const table = useMemo(
    () => (view && cycle !== null ? histogramTable(view, cycle) : undefined),
    [view, cycle],
  );
  const chart = useMemo(() => {
    if (!view || cycle === null || width <= 0) return null;
    const magnitudes = (
      <Histograms
        view={view}
        width={width}
        classroom={classroom}
        withOverrides={withOverrides}
        cycle={cycle}
      />
    );
    if (!view.lamp) return magnitudes;
    // LAMP ranks by score, not |w|: beside the magnitudes (cut per layer), the scores of the
    // same weights with its one cut across all layers.
    const { scoreView, lines, legend } = lampDrawing(view, view.lamp);
    return (
      <>
        {magnitudes}
        <p className="inspect-subhead">
          LAMP score of the same weights: w² over the sum of w² of the layer&apos;s weights at least
          as large — every layer&apos;s largest weight scores 1.
        </p>
        <Histograms
          view={scoreView}
          width={width}
          classroom={classroom}
          withOverrides={withOverrides}
          cycle={cycle}
          override={{
            lines,
            legend,
            axis: 'LAMP score of the surviving weights (log scale)',
            label: `Histograms of LAMP scores per layer, ${afterState(cycle)}`,
          }}
        />
      </>
    );
  }, [view, width, classroom, withOverrides, cycle]);
  const title =
    cycle === null
      ? '|w| of the surviving weights per layer'
      : `|w| of the surviving weights per layer, ${afterState(cycle)}` +
        (view ? ` (${criterionName(view.criterion)})` : '');
  return (
    <ChartCard
      id="weight-magnitudes"
      title={title}
      empty={!view}
      emptyText={
        cycle === null ? 'Train the dense network to see its weights.' : 'Reading the weights…'
      }
      table={table}
    >
      <div ref={ref} className="inspect-canvas">
        {chart}
      </div>
    </ChartCard>
  );
}
