/**
 * One chart redraw at a time. Charts that take new data close together would otherwise commit
 * in the same task, one long task. The queue hands out turns: a consumer with a new value waits
 * for its turn, shows the value, and the next turn starts only three animation frames after
 * that value was committed, in a task of its own. A consumer that gets a newer value while it
 * waits shows the newest when its turn comes, so worker messages that arrive in a burst cost
 * one redraw per chart. (Written for recharts, which redrew again from its own store in the
 * next animation frame; the charts now draw in one commit, and the turns still keep them
 * apart.)
 */

/** A place in the queue: `grant` runs at the consumer's turn, which lasts until `done`. */
export interface RedrawTicket {
  /** Leaves the queue (before the turn), or ends the turn (during it). */
  cancel(): void;
}

/**
 * An animation frame, or `FRAME_FALLBACK_MS` where none comes (a hidden tab draws no frames,
 * and charts there need not wait on each other).
 */
const FRAME_FALLBACK_MS = 100;

const waiting: (() => void)[] = [];
let turnTaken = false;

function nextFrame(then: () => void): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    clearTimeout(timer);
    if (frame !== null) cancelAnimationFrame(frame);
    then();
  };
  const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(once) : null;
  const timer = setTimeout(once, FRAME_FALLBACK_MS);
}

function grantNext(): void {
  if (turnTaken) return;
  const grant = waiting.shift();
  if (!grant) return;
  turnTaken = true;
  grant();
}

/**
 * Asks for a turn: `grant` runs when it comes (in a task of its own) and gets `done`, to call
 * once the new value is committed; the queue then waits three animation frames and a task before
 * the next turn. The ticket's cancel leaves the queue or ends the turn (a consumer unmounting).
 */
export function requestRedraw(grant: (done: () => void) => void): RedrawTicket {
  let state: 'waiting' | 'granted' | 'over' = 'waiting';
  const finish = (settle: boolean) => {
    if (state !== 'granted') return;
    state = 'over';
    const release = () => {
      turnTaken = false;
      setTimeout(grantNext, 0);
    };
    if (settle) nextFrame(() => nextFrame(() => nextFrame(release)));
    else release();
  };
  const entry = () => {
    state = 'granted';
    grant(() => finish(true));
  };
  waiting.push(entry);
  setTimeout(grantNext, 0);
  return {
    cancel: () => {
      if (state === 'waiting') {
        state = 'over';
        const at = waiting.indexOf(entry);
        if (at >= 0) waiting.splice(at, 1);
      } else finish(false);
    },
  };
}
