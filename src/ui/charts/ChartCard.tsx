/**
 * A titled chart panel. The chart stays mounted from the start (empty axes with a hint on top
 * until data arrives): mounting an SVG chart is the costliest thing the page does, and doing
 * it at load keeps the main thread free of long tasks while training runs. Every chart can
 * also be read as a table (for screen readers and exact numbers) and saved as SVG or PNG.
 */
import { useRef, useState, type ReactNode } from 'react';
import { saveChartPng, saveChartSvg } from './export-chart';

export interface ChartTable {
  columns: readonly string[];
  rows: readonly (readonly (string | number | null | undefined)[])[];
}

const cell = (v: string | number | null | undefined) =>
  v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))
    ? '—'
    : typeof v === 'number'
      ? Number(v.toPrecision(4)).toString()
      : v;

export function ChartCard({
  title,
  id,
  empty,
  emptyText,
  table,
  children,
}: {
  title: string;
  id: string;
  empty: boolean;
  emptyText: string;
  /** The chart's data as a table; without it the Table button is not offered. */
  table?: ChartTable;
  children: ReactNode;
}) {
  const figure = useRef<HTMLElement>(null);
  const [asTable, setAsTable] = useState(false);
  return (
    <figure
      ref={figure}
      className="panel chart-card"
      aria-labelledby={`${id}-title`}
      data-chart={id}
    >
      <div className="chart-head">
        <figcaption id={`${id}-title`}>{title}</figcaption>
        <div className="chart-tools" role="group" aria-label={`${title}: views and export`}>
          {table ? (
            <button type="button" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
              Table
            </button>
          ) : null}
          <button
            type="button"
            disabled={empty}
            onClick={() => figure.current && saveChartSvg(figure.current, title)}
          >
            SVG
          </button>
          <button
            type="button"
            disabled={empty}
            onClick={() => figure.current && void saveChartPng(figure.current, title)}
          >
            PNG
          </button>
        </div>
      </div>
      {asTable && table ? (
        <div className="chart-table">
          <table>
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((v, j) => (
                    <td key={j}>{cell(v)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {/* The chart stays mounted under the table (see the header comment). */}
      <div className="chart-body" aria-hidden={empty || asTable || undefined} hidden={asTable}>
        {children}
        {empty ? <p className="empty">{emptyText}</p> : null}
      </div>
    </figure>
  );
}
