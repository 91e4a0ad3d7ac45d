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

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

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
