/**
 * The shown results (the live run's, or an opened run's) for charts and tables, deferred and
 * staggered: each consumer takes a new
 * results document `slot` x STAGGER_MS after it arrives, and React renders it in an
 * interruptible background pass. So the four charts and the tables commit in separate
 * tasks instead of one long one when an epoch ends, and input and the progress bar never wait.
 */
import { useDeferredValue, useEffect, useState } from 'react';
import type { Results } from '../schema/results';
import { shownResults } from '../state/selectors';
import { useApp } from './store-context';

export const STAGGER_MS = 40;

export function useDeferredResults(slot = 0): Results | null {
  const latest = useApp(shownResults);
  const [shown, setShown] = useState(latest);
  useEffect(() => {
    if (slot === 0) return;
    const timer = setTimeout(() => setShown(latest), latest === null ? 0 : slot * STAGGER_MS);
    return () => clearTimeout(timer);
  }, [latest, slot]);
  return useDeferredValue(slot === 0 ? latest : shown);
}
