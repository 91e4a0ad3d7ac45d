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

/** Controls that take typed characters (a select's type-ahead too): every key is theirs. */
const TEXT_ENTRY = [
  'input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit]):not([type=reset])',
  'select',
  'textarea',
  '[contenteditable=""]',
  '[contenteditable="true"]',
].join(', ');

/** Controls that Space presses or ticks (natively): Space is theirs, letters are not. */
const PRESSABLE = 'button, a[href], summary, input, [role="button"]';

/**
 * Whether a key pressed on `target` belongs to that control rather than to the shortcuts.
 * Everything typed in a text field or a select is the field's. On a button, link, summary or
 * checkbox only Space is (it presses or ticks it, as everywhere on the web): R, P and ? still
 * work there, so clicking a button (Classroom mode, Run all) never leaves the keys dead.
 */
export function keyBelongsToControl(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest(TEXT_ENTRY)) return true;
  return key === ' ' && target.closest(PRESSABLE) !== null;
}
