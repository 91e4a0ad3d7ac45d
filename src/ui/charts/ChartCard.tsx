/** A titled chart panel with an empty-state message until data arrives. */
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
      {empty ? <p className="empty">{emptyText}</p> : <div className="chart-body">{children}</div>}
    </figure>
  );
}
