/**
 * The run's results for charts, deferred: React renders chart updates in an interruptible
 * background pass, so a burst of results never blocks input or the progress bar.
 */
import { useDeferredValue } from 'react';
import type { Results } from '../schema/results';
import { useApp } from './store-context';

export function useDeferredResults(): Results | null {
  return useDeferredValue(useApp((s) => s.results));
}
