/**
 * One collapsible view of the "Inside the network" panel: a region named `title` whose heading
 * is the toggle. Closed, it renders nothing inside, so the store asks the engine nothing for it.
 */
import { useId, type ReactNode } from 'react';
import type { InspectView } from '../../state/inspect-slice';
import { useApp } from '../store-context';

export function InspectSection({
  view,
  title,
  hint,
  children,
}: {
  view: InspectView;
  title: string;
  /** A line under the closed heading: what the view answers. */
  hint: string;
  children: () => ReactNode;
}) {
  const open = useApp((s) => s.inspectOpen[view]);
  const setOpen = useApp((s) => s.setInspectOpen);
  const body = useId();
  return (
    <section className="inspect-view" aria-label={title}>
      <h3 className="inspect-view-head">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={body}
          onClick={() => setOpen(view, !open)}
        >
          <span aria-hidden="true" className="inspect-caret">
            {open ? '▾' : '▸'}
          </span>
          {title}
        </button>
      </h3>
      {open ? null : <p className="inspect-hint">{hint}</p>}
      <div id={body}>{open ? children() : null}</div>
    </section>
  );
}
