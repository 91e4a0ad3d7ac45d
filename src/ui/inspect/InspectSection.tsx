/**
 * One collapsible view of the "Inside the network" panel: a region named `title` whose heading
 * is the toggle. Closed, it renders nothing inside, so the store asks the engine nothing for it.
 */
import { useId, type ReactNode } from 'react';
import type { InspectView } from '../../state/inspect-slice';
import { useApp } from '../store-context';

/** A collapsible region named `title`; closed, it renders nothing inside. */
export function CollapsibleView({
  title,
  hint,
  open,
  onToggle,
  children,
}: {
  title: string;
  /** A line under the closed heading: what the view answers. */
  hint: string;
  open: boolean;
  onToggle: () => void;
  children: () => ReactNode;
}) {
  const body = useId();
  return (
    <section className="inspect-view" aria-label={title}>
      <h3 className="inspect-view-head">
        <button type="button" aria-expanded={open} aria-controls={body} onClick={onToggle}>
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

/** A view whose open state the inspect slice keeps (the store asks only for open views). */
export function InspectSection({
  view,
  title,
  hint,
  children,
}: {
  view: InspectView;
  title: string;
  hint: string;
  children: () => ReactNode;
}) {
  const open = useApp((s) => s.inspectOpen[view]);
  const setOpen = useApp((s) => s.setInspectOpen);
  return (
    <CollapsibleView title={title} hint={hint} open={open} onToggle={() => setOpen(view, !open)}>
      {children}
    </CollapsibleView>
  );
}
