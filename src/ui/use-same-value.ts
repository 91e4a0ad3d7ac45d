/**
 * Keeps a chart's data the same object while its content stays the same. The worker sends a
 * new results document at every epoch end and phase end, and a chart whose numbers did not
 * change (the layer sparsities during retraining, the accuracy curve between prunes) then
 * keeps its memoised drawing instead of redrawing it.
 */
import { useState } from 'react';

/** Deep equality of plain data: numbers, strings, booleans, null, arrays and plain objects. */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => sameData(v, other[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return (
    keys.length === Object.keys(y).length &&
    keys.every((k) => Object.prototype.hasOwnProperty.call(y, k) && sameData(x[k], y[k]))
  );
}

/** `value`, or the value of an earlier render where that one is equal in content. */
export function useSameValue<T>(value: T): T {
  const [kept, setKept] = useState(value);
  const same = sameData(kept, value);
  if (!same) setKept(value);
  return same ? kept : value;
}
