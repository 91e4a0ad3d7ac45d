/**
 * Masks: what survives, as images. For an MLP's first dense layer the surviving outgoing weights
 * of every input pixel, as an image of the input; every layer's mask as a heatmap averaged to a
 * grid the engine chose (each cell the share of its weights alive; conv kernels as small
 * multiples, one kh × kw block per input/output channel pair); or, switched, each cell coloured
 * by the cycle in which most of its weights were pruned. Per state (the panel's slider).
 */
import { useMemo, useState } from 'react';
import { shownInspectCycle } from '../../state/inspect-slice';
import type { MaskSummary, MaskView } from '../../worker/protocol';
import { ChartCard, type ChartTable } from '../charts/ChartCard';
import { useApp } from '../store-context';
import { useQueuedValue } from '../use-deferred-results';
import {
  ALIVE_COLOUR,
  BEFORE_CYCLES_COLOUR,
  afterState,
  aliveColour,
  fateColour,
  survivorColour,
  toHex,
} from './inspect-draw';
import { gridImage } from './grid-image';
import { useSize } from '../use-size';

type Shade = 'alive' | 'cycle';

/** Block size of a conv kernel's small multiples, when the grid is not averaged down. */
function blocks(mask: MaskSummary): { kh: number; kw: number } | null {
  if (mask.shape.length !== 4) return null;
  const [kh, kw, cin, cout] = mask.shape as [number, number, number, number];
  return mask.rows === cin * kh && mask.cols === cout * kw ? { kh, kw } : null;
}

/**
 * The top of the input image's colour scale: the most surviving outgoing weights any pixel
 * keeps (at least 1), so a sparse first layer still shows which pixels matter.
 */
const inputScale = (input: NonNullable<MaskView['input']>) => Math.max(1, ...input.counts);

const aliveShare = (mask: MaskSummary) => {
  // Cells of one grid cover equal or near-equal blocks: their mean is the layer's share.
  const sum = mask.cells.reduce((a, b) => a + b, 0);
  return mask.cells.length > 0 ? sum / mask.cells.length : 0;
};

interface Tile {
  key: string;
  title: string;
  sub: string;
  rows: number;
  cols: number;
  scale: number;
  image: string | null;
  grid: { kh: number; kw: number } | null;
}

function Tiles({
  view,
  width,
  classroom,
  shade,
  lastCycle,
}: {
  view: MaskView;
  width: number;
  classroom: boolean;
  shade: Shade;
  lastCycle: number;
}) {
  const font = classroom ? 16 : 12;
  const base = width < 520 ? 3 : classroom ? 5 : 4;
  const tiles = useMemo(() => {
    const out: Tile[] = [];
    if (view.input) {
      const [h, w] = view.input.shape;
      const counts = view.input.counts;
      const units = inputScale(view.input);
      const scale = Math.max(base, Math.min(10, Math.floor(280 / Math.max(h, w))));
      out.push({
        key: 'input',
        title: `${view.layers[0]!.name}: survivors per input pixel`,
        sub: `${h} × ${w} pixels, 0 to ${units} weights out`,
        rows: h,
        cols: w,
        scale,
        image: gridImage(h, w, 1, (i) => survivorColour(counts[i]! / units)),
        grid: null,
      });
    }
    for (const mask of view.layers) {
      const scale = Math.max(base, Math.min(12, Math.floor(240 / Math.max(mask.rows, mask.cols))));
      const colour =
        shade === 'cycle' && mask.prunedIn
          ? (i: number) => fateColour(mask.prunedIn![i]!, lastCycle)
          : (i: number) => aliveColour(mask.cells[i]!);
      out.push({
        key: mask.name,
        title: `${mask.name} [${mask.shape.join(' × ')}]`,
        sub: `${(100 * aliveShare(mask)).toFixed(1)}% alive`,
        rows: mask.rows,
        cols: mask.cols,
        scale,
        image: gridImage(mask.rows, mask.cols, 1, colour),
        grid: blocks(mask),
      });
    }
    return out;
  }, [view, base, shade, lastCycle]);

  // Shelf packing: tiles left to right, a new row when one does not fit.
  const gap = 20;
  const head = 2 * font + 10;
  let x = 0;
  let y = 0;
  let shelf = 0;
  const placed = tiles.map((t) => {
    // Wide enough for its two lines of text too (about 0.6 em a character, bold a bit more).
    const text = Math.ceil(Math.max(t.title.length * 0.66, t.sub.length * 0.6) * font);
    const w = Math.max(t.cols * t.scale, text, 150);
    const h = head + t.rows * t.scale;
    if (x > 0 && x + w > width) {
      x = 0;
      y += shelf + gap;
      shelf = 0;
    }
    const at = { ...t, x, y };
    x += w + gap;
    shelf = Math.max(shelf, h);
    return at;
  });
  const legendTop = y + shelf + gap;
  const rampX = Math.ceil('input pixels: 0'.length * 0.62 * font) + 8;
  const legendH = font * 2 + 24;
  const height = legendTop + legendH * (view.input ? 2 : 1);

  const swatches =
    shade === 'cycle'
      ? [
          { colour: ALIVE_COLOUR, text: 'alive' },
          ...(view.labelledBy.includes(0) && view.layers.some((m) => m.prunedIn?.includes(0))
            ? [{ colour: BEFORE_CYCLES_COLOUR, text: 'pruned before cycle 1' }]
            : []),
          ...Array.from({ length: lastCycle }, (_, k) => ({
            colour: toHex(fateColour(k + 1, lastCycle)),
            text: `pruned in cycle ${k + 1}`,
          })),
        ]
      : [0, 0.25, 0.5, 0.75, 1].map((t) => ({
          colour: toHex(aliveColour(t)),
          text: `${100 * t}% alive`,
        }));

  return (
    <svg
      className="chart-surface"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Masks as images"
      fontSize={font}
      fontWeight={classroom ? 600 : 400}
      fill="currentColor"
    >
      {placed.map((t) => (
        <g key={t.key} transform={`translate(${t.x},${t.y})`} data-mask={t.key}>
          <text y={font}>
            <tspan fontWeight={700}>{t.title}</tspan>
          </text>
          <text y={2 * font + 4} fillOpacity={0.8}>
            {t.sub}
          </text>
          {t.image ? (
            <image
              href={t.image}
              x={0}
              y={head}
              width={t.cols * t.scale}
              height={t.rows * t.scale}
              preserveAspectRatio="none"
              // One pixel a cell, enlarged without smoothing: encoding the PNG at screen size
              // took a long main-thread task per state while training.
              style={{ imageRendering: 'pixelated' }}
            />
          ) : null}
          <rect
            x={0}
            y={head}
            width={t.cols * t.scale}
            height={t.rows * t.scale}
            fill="none"
            stroke="currentColor"
            strokeOpacity={0.6}
          />
          {/* Conv kernels: a line between the small multiples (one per channel pair). */}
          {t.grid ? (
            <g stroke="#ffffff" strokeWidth={1}>
              {Array.from({ length: t.rows / t.grid.kh - 1 }, (_, k) => (
                <line
                  key={`r${k}`}
                  x1={0}
                  x2={t.cols * t.scale}
                  y1={head + (k + 1) * t.grid!.kh * t.scale}
                  y2={head + (k + 1) * t.grid!.kh * t.scale}
                />
              ))}
              {Array.from({ length: t.cols / t.grid.kw - 1 }, (_, k) => (
                <line
                  key={`c${k}`}
                  y1={head}
                  y2={head + t.rows * t.scale}
                  x1={(k + 1) * t.grid!.kw * t.scale}
                  x2={(k + 1) * t.grid!.kw * t.scale}
                />
              ))}
            </g>
          ) : null}
        </g>
      ))}
      <g transform={`translate(0,${legendTop})`}>
        {swatches.map((s, k) => {
          const step = Math.min(170, (width - 10) / swatches.length);
          return (
            <g key={s.text} transform={`translate(${k * step},0)`}>
              <rect
                width={font}
                height={font}
                fill={s.colour}
                stroke="currentColor"
                strokeOpacity={0.4}
              />
              <text x={font + 6} y={font - 2}>
                {s.text}
              </text>
            </g>
          );
        })}
      </g>
      {view.input ? (
        <g transform={`translate(0,${legendTop + legendH})`}>
          <text y={font - 2}>{`input pixels: 0`}</text>
          {Array.from({ length: 20 }, (_, k) => (
            <rect
              key={k}
              x={rampX + k * 8}
              y={0}
              width={8}
              height={font}
              fill={toHex(survivorColour(k / 19))}
            />
          ))}
          <text x={rampX + 20 * 8 + 6} y={font - 2}>
            {inputScale(view.input) < view.input.units
              ? `${inputScale(view.input)} surviving outgoing weights (the most any pixel keeps, of ${view.input.units})`
              : `${view.input.units} surviving outgoing weights`}
          </text>
        </g>
      ) : null}
    </svg>
  );
}

function maskTable(view: MaskView): ChartTable {
  return {
    columns: ['layer', 'kernel shape', 'grid (rows × cols)', 'alive %', 'how the grid is drawn'],
    rows: [
      ...(view.input
        ? [
            [
              `${view.layers[0]!.name} per input pixel`,
              view.input.shape.join(' × '),
              `${view.input.shape[0]} × ${view.input.shape[1]}`,
              (100 * view.input.counts.reduce((a, b) => a + b, 0)) /
                (view.input.counts.length * view.input.units),
              `surviving outgoing weights of each pixel (0 to ${view.input.units})`,
            ],
          ]
        : []),
      ...view.layers.map((m) => [
        m.name,
        m.shape.join(' × '),
        `${m.rows} × ${m.cols}`,
        100 * aliveShare(m),
        m.layout,
      ]),
    ],
  };
}

export function MaskViews() {
  const cycle = useApp(shownInspectCycle);
  // Deferred: a new state's images render in the background, not in the worker's task.
  const view = useQueuedValue(
    useApp((s) => (cycle === null ? undefined : s.inspected[cycle]?.masks)),
  );
  const classroom = useApp((s) => s.view.classroom);
  const [shade, setShade] = useState<Shade>('alive');
  const [ref, { width }] = useSize<HTMLDivElement>('width');
  const lastCycle = view ? Math.max(0, ...view.labelledBy) : 0;
  const chart = useMemo(
    () =>
      view && width > 0 ? (
        <Tiles
          view={view}
          width={width}
          classroom={classroom}
          shade={shade}
          lastCycle={lastCycle}
        />
      ) : null,
    [view, width, classroom, shade, lastCycle],
  );
  return (
    <>
      <fieldset className="inspect-options">
        <legend>Colour the masks by</legend>
        <label>
          <input
            type="radio"
            name="mask-shade"
            checked={shade === 'alive'}
            onChange={() => setShade('alive')}
          />
          share of weights alive
        </label>
        <label>
          <input
            type="radio"
            name="mask-shade"
            checked={shade === 'cycle'}
            onChange={() => setShade('cycle')}
          />
          the cycle that pruned them
        </label>
      </fieldset>
      <ChartCard
        id="masks"
        title={cycle === null ? 'Masks' : `Masks ${afterState(cycle)}`}
        empty={!view}
        emptyText={
          cycle === null ? 'Train the dense network to see its masks.' : 'Reading the masks…'
        }
        table={view ? maskTable(view) : undefined}
      >
        <div ref={ref} className="inspect-canvas">
          {chart}
        </div>
      </ChartCard>
      {view ? (
        <ul className="inspect-notes">
          {view.layers.map((m) => (
            <li key={m.name}>
              <strong>{m.name}</strong>: {m.layout}
              {shade === 'cycle' ? '; each cell shows the fate of most of its weights' : ''}.
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
