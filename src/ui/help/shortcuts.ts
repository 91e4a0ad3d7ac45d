/** The keyboard shortcuts of the main loop, one table for the handler and the sheet. */
import type { AppState } from '../../state/store';
import { availability } from '../../state/selectors';

export interface Shortcut {
  /** KeyboardEvent.key values that trigger it. */
  keys: readonly string[];
  /** How the sheet shows the key. */
  label: string;
  what: string;
  /** Does it, if it can be done now; returns whether it did. */
  act(state: AppState): boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: [' '],
    label: 'Space',
    what: 'Step cycle (train dense first, then one prune + retrain)',
    act: (s) => availability(s).stepCycle && (void s.run('stepCycle'), true),
  },
  {
    keys: ['r', 'R'],
    label: 'R',
    what: 'Run all',
    act: (s) => availability(s).runAll && (void s.run('runAll'), true),
  },
  {
    keys: ['p', 'P'],
    label: 'P',
    what: 'Pause, or resume when paused',
    act: (s) => {
      if (s.paused) s.resume();
      else if (availability(s).pause) s.pause();
      else return false;
      return true;
    },
  },
];

/** Keys typed into a control belong to the control, not to the shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return (
    target.closest(
      'input, select, textarea, button, a[href], summary, [contenteditable=""], [contenteditable="true"]',
    ) !== null
  );
}
