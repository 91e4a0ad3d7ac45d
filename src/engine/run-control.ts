/**
 * Cooperative pause / resume / abort for long-running engine work, checked once per batch.
 * `checkpoint()` also yields to the event loop every YIELD_MS so a worker stays responsive
 * to incoming messages (pause, reset) while it trains.
 */

export const YIELD_MS = 25;

export class AbortedError extends Error {
  constructor() {
    super('The operation was stopped by a reset.');
    this.name = 'AbortedError';
  }
}

/**
 * One turn of the event loop that also lets due timers run: a timer, whose callback sends a
 * message to ourselves on a MessageChannel, and the loop goes on in that message's task.
 * A plain setTimeout(0) whose continuation sets the next one nests: from the sixth, HTML clamps
 * each to at least 4 ms, and a training loop that yields every 25 ms lost that much each time.
 * Continuing in a message task, each timer is the first of its nest. Where there is no
 * MessageChannel, the timer alone. Pending yields resolve in the order they were asked. In
 * Node the port holds the process open only while a yield waits on it (the CLI exited
 * mid-run when it never did, and a port that always did would keep it from exiting).
 */
const waiting: (() => void)[] = [];
let channel: MessageChannel | null | undefined;
/** Node's MessagePort: while a yield waits on it, it must keep the process alive. */
type NodePort = MessagePort & { ref?: () => void; unref?: () => void };
function yieldToEventLoop(): Promise<void> {
  if (channel === undefined) {
    channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
    if (channel) {
      const port = channel.port1 as NodePort;
      port.onmessage = () => {
        waiting.shift()?.();
        if (waiting.length === 0) port.unref?.();
      };
      port.unref?.();
    }
  }
  return new Promise<void>((resolve) =>
    setTimeout(() => {
      if (!channel) return resolve();
      waiting.push(resolve);
      (channel.port1 as NodePort).ref?.();
      channel.port2.postMessage(null);
    }, 0),
  );
}

export class RunControl {
  private pausedWaiters: (() => void)[] | null = null;
  private aborted = false;
  private lastYield = Date.now();

  get paused(): boolean {
    return this.pausedWaiters !== null;
  }

  pause(): void {
    if (!this.pausedWaiters) this.pausedWaiters = [];
  }

  resume(): void {
    const waiters = this.pausedWaiters;
    this.pausedWaiters = null;
    waiters?.forEach((wake) => wake());
  }

  /** Stops the current operation at its next checkpoint (with AbortedError). */
  abort(): void {
    this.aborted = true;
    this.resume();
  }

  /** Call between batches: yields, waits while paused, throws AbortedError after abort(). */
  async checkpoint(): Promise<void> {
    if (Date.now() - this.lastYield >= YIELD_MS) {
      await yieldToEventLoop();
      this.lastYield = Date.now();
    }
    while (this.pausedWaiters && !this.aborted) {
      await new Promise<void>((resolve) => this.pausedWaiters!.push(resolve));
    }
    if (this.aborted) throw new AbortedError();
  }
}
