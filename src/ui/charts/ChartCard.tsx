/**
 * A titled chart panel. The chart stays mounted from the start (empty axes with a hint on top
 * until data arrives): mounting an SVG chart is the costliest thing the page does, and doing
 * it at load keeps the main thread free of long tasks while training runs. Every chart can
 * also be read as a table (for screen readers and exact numbers), saved as SVG or PNG (also
 * from the table view: the chart stays drawn, out of sight, behind it) and enlarged to the
 * whole window (a modal dialog; Escape or Close shrinks it back). The chart fills its body,
 * whose size the stylesheet sets (wider and taller on a big screen, the window when enlarged).
 */
import { useId, useRef, useState, type ReactNode } from 'react';
import { useModalDialog } from '../help/use-modal-dialog';
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

function DataTable({ title, table }: { title: string; table: ChartTable }) {
  return (
    // Scrolls when long: focusable, so the keys can scroll it too.
    <div className="chart-table" tabIndex={0} role="region" aria-label={`${title}: numbers`}>
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
  );
}

export function ChartCard({
  title,
  id,
  empty,
  emptyText,
  table,
  note,
  children,
}: {
  title: string;
  id: string;
  empty: boolean;
  emptyText: string;
  /** The chart's data as a table; without it the Table button is not offered. */
  table?: ChartTable;
  /** A line under the title (what the chart shows, its own controls), in the card only. */
  note?: ReactNode;
  children: ReactNode;
}) {
  const figure = useRef<HTMLElement>(null);
  const [asTable, setAsTable] = useState(false);
  const [enlarged, setEnlarged] = useState(false);
  const dialog = useModalDialog(enlarged);
  const dialogTitle = `${useId()}-enlarged`;
  const showTable = asTable && table !== undefined;

  // The same tools in the card and in the enlarged view; the export reads whichever chart is
  // drawn (the figure holds both places).
  const tools = (place: 'card' | 'enlarged') => (
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
      {place === 'card' ? (
        <button type="button" aria-haspopup="dialog" onClick={() => setEnlarged(true)}>
          Enlarge
        </button>
      ) : (
        <button type="button" onClick={() => setEnlarged(false)}>
          Close
        </button>
      )}
    </div>
  );

  // Under the table the chart is still drawn, at its size but out of sight, so SVG and PNG
  // export what the table shows. An empty or hidden chart is inert: out of the accessibility
  // tree and the tab order; the hint stays readable.
  const body = (
    <div
      className={showTable ? 'chart-body behind-table' : 'chart-body'}
      aria-hidden={showTable || undefined}
      inert={showTable || undefined}
    >
      <div className="chart-plot" aria-hidden={empty || undefined} inert={empty || undefined}>
        {children}
      </div>
      {empty ? <p className="empty">{emptyText}</p> : null}
    </div>
  );

  return (
    <figure
      ref={figure}
      className="panel chart-card"
      aria-labelledby={`${id}-title`}
      data-chart={id}
    >
      <div className="chart-head">
        <figcaption id={`${id}-title`}>{title}</figcaption>
        {tools('card')}
      </div>
      {note ? <div className="chart-note">{note}</div> : null}
      {enlarged ? (
        <div className="chart-body chart-away">
          <p className="empty">Shown enlarged.</p>
        </div>
      ) : (
        <>
          {showTable ? <DataTable title={title} table={table} /> : null}
          {body}
        </>
      )}
      <dialog
        ref={dialog}
        className="chart-dialog"
        aria-labelledby={dialogTitle}
        onClose={() => setEnlarged(false)}
        onCancel={() => setEnlarged(false)}
      >
        {enlarged ? (
          <>
            <div className="chart-head">
              <h2 id={dialogTitle}>{title}</h2>
              {tools('enlarged')}
            </div>
            {showTable ? <DataTable title={title} table={table} /> : null}
            {body}
          </>
        ) : null}
      </dialog>
    </figure>
  );
}
