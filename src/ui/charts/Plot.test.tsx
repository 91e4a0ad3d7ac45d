// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Plot, PLOT_MARGIN, plotXAxisHeight } from './Plot';

const size = { width: 400, height: 300 };

afterEach(cleanup);

describe('Plot', () => {
  it('puts each value where the axes say, dots on the values, ticks as formatted', () => {
    const { container } = render(
      <Plot
        size={size}
        classroom={false}
        label="test chart"
        legend={false}
        x={{ kind: 'category', labels: ['a', 'b', 'c', 'd'] }}
        left={{ domain: [0, 10], ticks: [0, 5, 10], format: (v) => `${v}%`, width: 50 }}
        series={[{ kind: 'line', name: 'one', colour: '#000', values: [0, 5, null, 10], dot: 3 }]}
      />,
    );
    expect(screen.getByRole('img', { name: 'test chart' })).toBeInTheDocument();
    // The plot area: from the gutter to the right margin, from the top margin to the x axis.
    const top = PLOT_MARGIN.top;
    const bottom = size.height - PLOT_MARGIN.bottom - plotXAxisHeight(false, false);
    const band = (size.width - PLOT_MARGIN.right - 50) / 4;
    const dots = [...container.querySelectorAll('circle.plot-dot')];
    // The missing value has no dot.
    expect(dots).toHaveLength(3);
    const at = dots.map((c) => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]);
    expect(at[0]![0]).toBeCloseTo(50 + band / 2, 6);
    expect(at[0]![1]).toBeCloseTo(bottom, 6);
    expect(at[1]![1]).toBeCloseTo((top + bottom) / 2, 6);
    expect(at[2]![0]).toBeCloseTo(50 + 3.5 * band, 6);
    expect(at[2]![1]).toBeCloseTo(top, 6);
    // The gap breaks the line: the path has one stretch of two points (the last stands alone).
    const d = container.querySelector('path.plot-line-path')!.getAttribute('d')!;
    expect(d.match(/[ML]/g)).toEqual(['M', 'L']);
    const ticks = [...container.querySelectorAll('text.plot-tick')].map((t) => t.textContent);
    expect(ticks).toEqual(['a', 'b', 'c', 'd', '0%', '5%', '10%']);
  });

  it('draws one bar per value in groups, a legend entry per shown series, and reads out a hovered datum', () => {
    const { container } = render(
      <Plot
        size={size}
        classroom={false}
        label="bars"
        x={{ kind: 'category', labels: ['dense', 'cycle 1', 'cycle 2'] }}
        left={{ domain: [0, 100], ticks: [0, 50, 100], format: String, width: 40 }}
        readoutValue={(v) => `${v.toFixed(1)}%`}
        series={[
          { kind: 'bar', name: 'fc1', colour: '#111', fill: '#111', values: [0, 50, 90] },
          { kind: 'bar', name: 'fc2', colour: '#222', fill: '#222', values: [0, 20, 40] },
          { kind: 'band', name: 'hidden band', hidden: true, colour: '#333', values: [] },
        ]}
      />,
    );
    // Zero-height bars (the dense network) are not drawn.
    const bars = [...container.querySelectorAll('rect.plot-bar')];
    expect(bars).toHaveLength(4);
    const heights = bars.map((b) => Number(b.getAttribute('height')));
    // fc1 at 50% is half as tall as the axis, at 90% nine tenths of it.
    expect(heights[1]! / heights[0]!).toBeCloseTo(90 / 50, 6);
    expect(heights[2]! / heights[0]!).toBeCloseTo(20 / 50, 6);
    // The legend names the two bar series, not the hidden band.
    expect([...container.querySelectorAll('.plot-legend-text')].map((t) => t.textContent)).toEqual([
      'fc1',
      'fc2',
    ]);
    // Hovering the middle of the last band reads out its values.
    const svg = container.querySelector('svg')!;
    const plotRight = size.width - PLOT_MARGIN.right;
    fireEvent.pointerMove(svg, { clientX: plotRight - 10, clientY: 50 });
    const readout = container.querySelector('.plot-readout')!;
    expect(readout).toHaveTextContent('cycle 2');
    expect(readout).toHaveTextContent('fc1: 90.0%');
    expect(readout).toHaveTextContent('fc2: 40.0%');
    fireEvent.pointerMove(svg, { clientX: 5, clientY: 50 });
    expect(container.querySelector('.plot-readout')).toBeNull();
  });

  it('places a linear x by value, and a second axis scales its own series', () => {
    const { container } = render(
      <Plot
        size={size}
        classroom
        label="two axes"
        legend={false}
        x={{
          kind: 'linear',
          values: [0, 25, 100],
          domain: [0, 100],
          ticks: [0, 50, 100],
          format: String,
          title: 'sparsity',
        }}
        left={{ domain: [0, 2], ticks: [0, 1, 2], format: String, width: 60 }}
        right={{ domain: [90, 100], ticks: [90, 100], format: String, width: 60 }}
        series={[
          { kind: 'line', name: 'loss', colour: '#000', values: [2, 1, 0], dot: 3 },
          {
            kind: 'line',
            name: 'acc',
            axis: 'right',
            colour: '#000',
            values: [90, 95, 100],
            dot: 3,
          },
        ]}
      />,
    );
    const dots = [...container.querySelectorAll('circle.plot-dot')].map((c) => [
      Number(c.getAttribute('cx')),
      Number(c.getAttribute('cy')),
    ]);
    const left = 60;
    const right = size.width - 60;
    // x by value: 25 is a quarter of the way across.
    expect(dots[1]![0]).toBeCloseTo(left + 0.25 * (right - left), 6);
    // Loss 1 of [0, 2] and accuracy 95 of [90, 100] are both at mid-height.
    expect(dots[1]![1]).toBeCloseTo(dots[4]![1], 6);
    // Loss 2 and accuracy 100 at the top, loss 0 and accuracy 90 at the bottom.
    expect(dots[0]![1]).toBeCloseTo(dots[5]![1], 6);
    expect(dots[2]![1]).toBeCloseTo(dots[3]![1], 6);
    expect(dots[0]![1]).toBeLessThan(dots[2]![1]);
    expect(container.querySelector('.plot-axis-title')).toHaveTextContent('sparsity');
  });
  it('places series by their own x values, with markers, and reads out the series at a hovered x', () => {
    const { container } = render(
      <Plot
        size={size}
        classroom={false}
        label="compared runs"
        x={{ kind: 'linear', values: [], domain: [0, 100], ticks: [0, 50, 100], format: String }}
        left={{ domain: [0, 100], ticks: [0, 100], format: String, width: 40 }}
        readoutTitle={(v) => `sparsity ${v}`}
        series={[
          {
            kind: 'line',
            name: 'run A',
            colour: '#111',
            xs: [0, 50, 90],
            values: [98, 97, 95],
            dot: 4,
            marker: 'square',
          },
          {
            kind: 'line',
            name: 'run B',
            colour: '#222',
            xs: [0, 75],
            values: [98, 96],
            dot: 4,
            marker: 'triangle',
          },
        ]}
      />,
    );
    const right = size.width - PLOT_MARGIN.right;
    const xOf = (v: number) => 40 + (v / 100) * (right - 40);
    // Run A's squares at its own sparsities (x is the square's left edge, 4 px before the centre).
    const squares = [
      ...container.querySelectorAll('.plot-line[data-series="run A"] rect.plot-marker'),
    ];
    expect(squares.map((r) => Number(r.getAttribute('x')) + 4)).toEqual(
      [0, 50, 90].map((v) => expect.closeTo(xOf(v), 6)),
    );
    expect(
      container.querySelectorAll('.plot-line[data-series="run B"] polygon.plot-marker'),
    ).toHaveLength(2);
    // Each legend entry shows its marker too.
    expect(container.querySelectorAll('.plot-legend-item .plot-marker')).toHaveLength(2);
    const svg = container.querySelector('svg')!;
    // At 75% only run B has a point; at 0% both.
    fireEvent.pointerMove(svg, { clientX: xOf(75) + 1, clientY: 50 });
    let readout = container.querySelector('.plot-readout')!;
    expect(readout).toHaveTextContent('sparsity 75');
    expect(readout).toHaveTextContent('run B: 96');
    expect(readout).not.toHaveTextContent('run A');
    fireEvent.pointerMove(svg, { clientX: xOf(0) + 1, clientY: 50 });
    readout = container.querySelector('.plot-readout')!;
    expect(readout).toHaveTextContent('run A: 98');
    expect(readout).toHaveTextContent('run B: 98');
  });
});
