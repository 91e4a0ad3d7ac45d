/**
 * A titled chart panel. The chart stays mounted from the start (empty axes with a hint on top
 * until data arrives): mounting an SVG chart is the costliest thing the page does, and doing
 * it at load keeps the main thread free of long tasks while training runs.
 */
import type { ReactNode } from 'react';

export function ChartCard({
  title,
  id,
  empty,
  emptyText,
  children,
}: {
  title: string;
  id: string;
  empty: boolean;
  emptyText: string;
  children: ReactNode;
}) {
  return (
    <figure className="panel chart-card" aria-labelledby={`${id}-title`} data-chart={id}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div className="chart-body" aria-hidden={empty || undefined}>
        {children}
        {empty ? <p className="empty">{emptyText}</p> : null}
      </div>
    </figure>
  );
}
