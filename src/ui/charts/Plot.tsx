/**
 * The lab's chart, every chart of the page: lines with dots or markers, bands and grouped bars
 * over a category or linear x axis, one or two y axes, a grid, a legend and a hover read-out,
 * drawn as one plain SVG (class chart-surface, so SVG and PNG export take it whole, legend
 * included). recharts cost about 30 ms of main thread for every update of an
 * eight-point chart on the lab's 2-core machine (40-65 ms while training shares the cores, the
 * page's longest tasks); this draws the same in one React commit of a few hundred elements,
 * with no measuring of the DOM: text widths are estimated from the font size.
 */
import { memo, useState, type ReactNode } from 'react';
import { useSize } from '../use-size';
import {
  bandPath,
  categoryBand,
  legendLayout,
  linePath,
  linearScale,
  nearestIndex,
  shownLabels,
} from './plot-geometry';

export interface PlotAxis {
  domain: [number, number];
  ticks: readonly number[];
  format(v: number): string;
  /** Drawn along the axis. */
  title?: string;
  /** The gutter's width in px (tick labels and title); the plot's margin when absent. */
  width: number;
}

export type PlotX =
  | { kind: 'category'; labels: readonly string[]; title?: string }
  | {
      kind: 'linear';
      /** Each datum's x value. */
      values: readonly number[];
      domain: [number, number];
      ticks: readonly number[];
      format(v: number): string;
      title?: string;
    };

interface SeriesBase {
  name: string;
  colour: string;
  /** Left out of the legend and the read-out (a band drawn under its line). */
  hidden?: boolean;
}
/** A dot's shape: a circle, or one that tells series apart without colour. */
export type Marker = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross';

export interface LineSeries extends SeriesBase {
  kind: 'line';
  axis?: 'left' | 'right';
  values: readonly (number | null | undefined)[];
  /** This series' own x values (a linear x axis: runs compared side by side), else the axis's. */
  xs?: readonly number[];
  /** Filled dots of this shape in the series' colour, else hollow circles. */
  marker?: Marker;
  dash?: string;
  width?: number;
  /** The dots' radius; 0 for none. */
  dot?: number;
  connectNulls?: boolean;
}
export interface BandSeries extends SeriesBase {
  kind: 'band';
  axis?: 'left' | 'right';
  values: readonly (readonly [number, number] | null | undefined)[];
  xs?: readonly number[];
}
export interface BarSeries extends SeriesBase {
  kind: 'bar';
  values: readonly (number | null | undefined)[];
  /** The bars' fill (a hatch pattern); `colour` outlines them. */
  fill: string;
}
export type PlotSeries = LineSeries | BandSeries | BarSeries;

export interface PlotProps {
  x: PlotX;
  left: PlotAxis;
  right?: PlotAxis;
  series: readonly PlotSeries[];
  classroom: boolean;
  /** The drawing's accessible name. */
  label: string;
  legend?: boolean;
  /** The read-out's heading: for the category at index `at`, or the x value `at`. */
  readoutTitle?(at: number): string;
  /** A value as the read-out shows it. */
  readoutValue?(v: number): string;
  /** Definitions the fills refer to (hatch patterns). */
  defs?: ReactNode;
  /** A fixed size instead of the container's (tests). */
  size?: { width: number; height: number };
}

/** The margins around the plot area, in px; the LR chart places its now-marker by them. */
export const PLOT_MARGIN = { top: 8, right: 16, bottom: 8 } as const;
/** The x axis's height: tick labels, and its title under them. */
export const plotXAxisHeight = (classroom: boolean, titled: boolean) =>
  titled ? (classroom ? 48 : 40) : classroom ? 34 : 30;

const TICK = 6;

const format4 = (v: number) => Number(v.toPrecision(4)).toString();

export const Plot = memo(function Plot(props: PlotProps) {
  const [ref, measured] = useSize<HTMLDivElement>();
  const [hover, setHover] = useState<number | null>(null);
  const { width, height } = props.size ?? measured;
  const drawing =
    width > 0 && height > 0 ? (
      <Drawing {...props} width={width} height={height} hover={hover} onHover={setHover} />
    ) : null;
  return (
    <div ref={ref} className="plot" onPointerLeave={() => setHover(null)}>
      {drawing}
    </div>
  );
});

function Drawing({
  x,
  left,
  right,
  series,
  classroom,
  label,
  legend = true,
  readoutTitle,
  readoutValue = format4,
  defs,
  width,
  height,
  hover,
  onHover,
}: PlotProps & {
  width: number;
  height: number;
  hover: number | null;
  onHover(i: number | null): void;
}) {
  const font = 15;
  const legendFont = classroom ? 17 : 14;
  const weight = classroom ? 600 : 400;
  const inLegend = legend ? series.filter((s) => !s.hidden) : [];
  // Classroom mode's bold labels are about a tenth wider than the estimate's regular ones.
  const legendLines = legendLayout(
    inLegend.map((s) => s.name),
    width - 16,
    classroom ? legendFont * 1.12 : legendFont,
  );
  const legendRow = legendFont + 8;
  const legendH = legendLines.rows > 0 ? legendLines.rows * legendRow + 6 : 0;
  const xAxisH = plotXAxisHeight(classroom, Boolean(x.title));
  const plotLeft = left.width;
  const plotRight = width - (right ? right.width : PLOT_MARGIN.right);
  const plotTop = PLOT_MARGIN.top;
  const plotBottom = height - PLOT_MARGIN.bottom - legendH - xAxisH;
  const plotW = Math.max(1, plotRight - plotLeft);
  if (plotBottom - plotTop < 10) return null;

  const yLeft = linearScale(left.domain, [plotBottom, plotTop]);
  const yRight = right ? linearScale(right.domain, [plotBottom, plotTop]) : yLeft;
  const yOf = (axis: 'left' | 'right' | undefined) => (axis === 'right' ? yRight : yLeft);
  const count = x.kind === 'category' ? x.labels.length : x.values.length;
  const band = x.kind === 'category' ? categoryBand(0, count, plotLeft, plotW).band : 0;
  const xLinear = x.kind === 'linear' ? linearScale(x.domain, [plotLeft, plotRight]) : null;
  const xAt = (i: number) =>
    xLinear
      ? xLinear(x.kind === 'linear' ? x.values[i]! : 0)
      : categoryBand(i, count, plotLeft, plotW).centre;
  const xs = Array.from({ length: count }, (_, i) => xAt(i));
  // A series with x values of its own (linear axis only) is placed by them.
  const xsOf = (s: LineSeries | BandSeries) => (s.xs && xLinear ? s.xs.map(xLinear) : xs);
  // What the read-out points at: a category, or one of the x values any series has.
  const dataXs = (s: PlotSeries) =>
    x.kind === 'linear' ? (s.kind !== 'bar' && s.xs ? s.xs : x.values) : [];
  const hoverValues =
    x.kind === 'linear'
      ? [...new Set([...x.values, ...series.flatMap(dataXs)])].sort((a, b) => a - b)
      : null;
  const hoverXs = hoverValues && xLinear ? hoverValues.map(xLinear) : xs;
  const valueAt = (s: LineSeries | BarSeries, at: number) =>
    hoverValues ? s.values[dataXs(s).indexOf(hoverValues[at]!)] : s.values[at];
  const lineWidth = (s: LineSeries) => (classroom ? Math.max(4, s.width ?? 1) : (s.width ?? 1));
  const dash = '3 3';

  // The x axis: category labels that fit, or round ticks.
  const xTicks =
    x.kind === 'category'
      ? (() => {
          // Classroom mode's bold labels are about a tenth wider.
          const shown = shownLabels(x.labels, band, classroom ? font * 1.1 : font);
          return x.labels
            .map((text, i) => ({ at: xs[i]!, text, shown: shown[i] }))
            .filter((t) => t.shown);
        })()
      : x.ticks.map((t) => ({ at: xLinear!(t), text: x.format(t) }));

  const bars = series.filter((s): s is BarSeries => s.kind === 'bar');
  const groupW = band * 0.8;
  const barGap = bars.length > 1 ? Math.min(4, groupW / bars.length / 4) : 0;
  const barW = Math.max(1, (groupW - barGap * (bars.length - 1)) / Math.max(1, bars.length));

  const hoverX = hover === null ? 0 : (hoverXs[hover] ?? 0);
  const readout =
    hover === null || hover >= hoverXs.length ? null : (
      <Readout
        title={
          x.kind === 'linear'
            ? (readoutTitle ?? format4)(hoverValues![hover]!)
            : (readoutTitle?.(hover) ?? x.labels[hover]!)
        }
        rows={series
          .filter((s): s is LineSeries | BarSeries => !s.hidden && s.kind !== 'band')
          .map((s) => ({ name: s.name, colour: s.colour, value: valueAt(s, hover) }))
          .filter((r) => typeof r.value === 'number' && Number.isFinite(r.value))
          .map((r) => ({ ...r, text: readoutValue(r.value as number) }))}
        left={hoverX > plotLeft + plotW / 2 ? undefined : hoverX + 12}
        right={hoverX > plotLeft + plotW / 2 ? width - hoverX + 12 : undefined}
        top={plotTop + 4}
      />
    );

  return (
    <>
      <svg
        className="chart-surface plot-surface"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={label}
        fontSize={font}
        fontWeight={weight}
        fill="currentColor"
        onPointerMove={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          const px = e.clientX - box.left;
          const py = e.clientY - box.top;
          if (px < plotLeft || px > plotRight || py < plotTop || py > plotBottom) onHover(null);
          else onHover(nearestIndex(hoverXs, px));
        }}
      >
        {defs}
        {/* The grid: dashed lines at the ticks. */}
        <g className="plot-grid" strokeDasharray={dash} fill="none" stroke="#cccccc">
          {left.ticks.map((t) => (
            <line key={`h${t}`} x1={plotLeft} x2={plotRight} y1={yLeft(t)} y2={yLeft(t)} />
          ))}
          {(x.kind === 'linear' ? x.ticks.map((t) => xLinear!(t)) : xs).map((at, i) => (
            <line key={`v${i}`} x1={at} x2={at} y1={plotTop} y2={plotBottom} />
          ))}
        </g>
        {hover !== null && hover < hoverXs.length ? (
          bars.length > 0 ? (
            <rect
              className="plot-cursor"
              x={hoverX - band / 2}
              y={plotTop}
              width={band}
              height={plotBottom - plotTop}
            />
          ) : (
            <line className="plot-cursor" x1={hoverX} x2={hoverX} y1={plotTop} y2={plotBottom} />
          )
        ) : null}
        {/* Bands first, so lines and dots lie over them. */}
        {series.map((s, k) => {
          if (s.kind !== 'band') return null;
          const at = xsOf(s);
          return (
            <path
              key={`band${k}`}
              className="plot-band"
              d={bandPath(
                s.values.map((v, i) =>
                  v ? { x: at[i]!, low: yOf(s.axis)(v[0]), high: yOf(s.axis)(v[1]) } : null,
                ),
              )}
              fill={s.colour}
              fillOpacity={0.18}
              stroke="none"
            />
          );
        })}
        {bars.map((s, b) => (
          <g key={`bars${b}`} className="plot-bars" data-series={s.name}>
            {s.values.map((v, i) => {
              if (typeof v !== 'number' || !Number.isFinite(v)) return null;
              const top = yLeft(Math.max(left.domain[0], Math.min(left.domain[1], v)));
              const base = yLeft(Math.max(left.domain[0], 0));
              const h = base - top;
              if (!(h > 0)) return null;
              return (
                <rect
                  key={i}
                  className="plot-bar"
                  x={xs[i]! - groupW / 2 + b * (barW + barGap)}
                  y={top}
                  width={barW}
                  height={h}
                  fill={s.fill}
                  stroke={s.colour}
                />
              );
            })}
          </g>
        ))}
        {series.map((s, k) => {
          if (s.kind !== 'line') return null;
          const y = yOf(s.axis);
          const at = xsOf(s);
          const points = s.values.map((v, i) =>
            typeof v === 'number' && Number.isFinite(v) ? ([at[i]!, y(v)] as const) : null,
          );
          return (
            <g key={`line${k}`} className="plot-line" data-series={s.name}>
              <path
                className="plot-line-path"
                d={linePath(points, s.connectNulls)}
                fill="none"
                stroke={s.colour}
                strokeWidth={lineWidth(s)}
                strokeDasharray={s.dash}
              />
              {s.dot ? (
                <g className="plot-dots">
                  {points.map((p, i) =>
                    !p ? null : s.marker ? (
                      <MarkerShape
                        key={i}
                        shape={s.marker}
                        x={p[0]}
                        y={p[1]}
                        r={s.dot!}
                        colour={s.colour}
                      />
                    ) : (
                      <circle
                        key={i}
                        cx={p[0]}
                        cy={p[1]}
                        r={s.dot}
                        className="plot-dot"
                        fill="#ffffff"
                        stroke={s.colour}
                        strokeWidth={classroom ? 2 : 1.5}
                      />
                    ),
                  )}
                </g>
              ) : null}
            </g>
          );
        })}
        {/* Axes: lines, ticks, labels and titles. */}
        <g className="plot-axis" fill="none" stroke="#666666">
          <line x1={plotLeft} x2={plotRight} y1={plotBottom} y2={plotBottom} />
          <line x1={plotLeft} x2={plotLeft} y1={plotTop} y2={plotBottom} />
          {right ? <line x1={plotRight} x2={plotRight} y1={plotTop} y2={plotBottom} /> : null}
          {xTicks.map((t, i) => (
            <line key={`xt${i}`} x1={t.at} x2={t.at} y1={plotBottom} y2={plotBottom + TICK} />
          ))}
          {left.ticks.map((t) => (
            <line key={`lt${t}`} x1={plotLeft - TICK} x2={plotLeft} y1={yLeft(t)} y2={yLeft(t)} />
          ))}
          {right?.ticks.map((t) => (
            <line
              key={`rt${t}`}
              x1={plotRight}
              x2={plotRight + TICK}
              y1={yRight(t)}
              y2={yRight(t)}
            />
          ))}
        </g>
        <g className="plot-x-ticks" fill="#666666">
          {xTicks.map((t, i) => (
            <text
              key={`x${i}`}
              className="plot-tick"
              x={t.at}
              y={plotBottom + TICK + font}
              textAnchor="middle"
            >
              {t.text}
            </text>
          ))}
        </g>
        <g className="plot-y-ticks" fill="#666666">
          {left.ticks.map((t) => (
            <text
              key={`l${t}`}
              className="plot-tick"
              x={plotLeft - TICK - 2}
              y={yLeft(t)}
              dy="0.35em"
              textAnchor="end"
            >
              {left.format(t)}
            </text>
          ))}
          {right?.ticks.map((t) => (
            <text
              key={`r${t}`}
              className="plot-tick"
              x={plotRight + TICK + 2}
              y={yRight(t)}
              dy="0.35em"
              textAnchor="start"
            >
              {right.format(t)}
            </text>
          ))}
        </g>
        {x.title ? (
          <text
            className="plot-axis-title"
            fill="#666666"
            x={plotLeft + plotW / 2}
            y={plotBottom + xAxisH - 4}
            textAnchor="middle"
          >
            {x.title}
          </text>
        ) : null}
        {left.title ? (
          <text
            className="plot-axis-title"
            fill="#666666"
            transform={`translate(${font * 0.8},${(plotTop + plotBottom) / 2}) rotate(-90)`}
            textAnchor="middle"
          >
            {left.title}
          </text>
        ) : null}
        {right?.title ? (
          <text
            className="plot-axis-title"
            fill="#666666"
            transform={`translate(${width - font * 0.8},${(plotTop + plotBottom) / 2}) rotate(90)`}
            textAnchor="middle"
          >
            {right.title}
          </text>
        ) : null}
        {legendLines.rows > 0 ? (
          <g className="plot-legend" fontSize={legendFont} fill="#1b1f24">
            {inLegend.map((s, i) => {
              const place = legendLines.places[i]!;
              const top = height - PLOT_MARGIN.bottom - legendH + 6 + place.row * legendRow;
              const mid = top + legendRow / 2 - 2;
              return (
                <g
                  key={s.name}
                  className="plot-legend-item"
                  transform={`translate(${8 + place.x},0)`}
                >
                  {s.kind === 'bar' ? (
                    <rect
                      x={0}
                      y={mid - 6}
                      width={12}
                      height={12}
                      fill={s.fill}
                      stroke={s.colour}
                    />
                  ) : (
                    <>
                      <line
                        x1={0}
                        x2={14}
                        y1={mid}
                        y2={mid}
                        stroke={s.colour}
                        strokeWidth={s.kind === 'line' ? Math.max(2, lineWidth(s)) : 8}
                        strokeDasharray={s.kind === 'line' ? s.dash : undefined}
                      />
                      {s.kind === 'line' && s.marker ? (
                        <MarkerShape shape={s.marker} x={7} y={mid} r={4} colour={s.colour} />
                      ) : null}
                    </>
                  )}
                  <text className="plot-legend-text" x={18} y={mid} dy="0.35em">
                    {s.name}
                  </text>
                </g>
              );
            })}
          </g>
        ) : null}
      </svg>
      {readout}
    </>
  );
}

/** A filled marker centred on (x, y), about 2r across (class plot-marker). */
function MarkerShape({
  shape,
  x,
  y,
  r,
  colour,
}: {
  shape: Marker;
  x: number;
  y: number;
  r: number;
  colour: string;
}) {
  switch (shape) {
    case 'square':
      return (
        <rect
          className="plot-marker"
          x={x - r}
          y={y - r}
          width={2 * r}
          height={2 * r}
          fill={colour}
        />
      );
    case 'triangle':
      return (
        <polygon
          className="plot-marker"
          points={`${x},${y - r} ${x + r},${y + r} ${x - r},${y + r}`}
          fill={colour}
        />
      );
    case 'diamond':
      return (
        <polygon
          className="plot-marker"
          points={`${x},${y - r} ${x + r},${y} ${x},${y + r} ${x - r},${y}`}
          fill={colour}
        />
      );
    case 'cross':
      return (
        <path
          className="plot-marker"
          d={`M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}`}
          stroke={colour}
          strokeWidth={2}
          fill="none"
        />
      );
    default:
      return <circle className="plot-marker" cx={x} cy={y} r={r} fill={colour} />;
  }
}

function Readout({
  title,
  rows,
  left,
  right,
  top,
}: {
  title: string;
  rows: { name: string; colour: string; text: string }[];
  left: number | undefined;
  right: number | undefined;
  top: number;
}) {
  return (
    <div className="plot-readout" style={{ left, right, top }} aria-hidden="true">
      <div className="plot-readout-title">{title}</div>
      {rows.map((r) => (
        <div key={r.name}>
          <span className="plot-swatch" style={{ background: r.colour }} /> {r.name}: {r.text}
        </div>
      ))}
    </div>
  );
}
