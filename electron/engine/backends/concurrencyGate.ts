/**
 * A backend's `maxConcurrent`: at most that many turns in flight on it, the rest waiting in arrival
 * order. Its {@link load} (running plus waiting) is the outstanding work a backend group spreads
 * turns by.
 */
export class ConcurrencyGate {
  private running = 0;
  /** When a turn last got a place here (a tie on load goes to the one idle longest). */
  lastAcquiredAt = 0;
  private readonly waiting: (() => void)[] = [];

  /** `limit` null: no limit. */
  constructor(readonly limit: number | null) {}

  /** Turns running or waiting here. */
  get load(): number {
    return this.running + this.waiting.length;
  }

  /** Waits for a free place; rejects when `signal` aborts first. */
  async acquire(signal?: AbortSignal): Promise<void> {
    this.lastAcquiredAt = performance.now();
    if (this.limit === null || this.running < this.limit) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiting.indexOf(go);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new Error("aborted while waiting for a free place on the backend"));
      };
      const go = (): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(go);
    });
    this.running++;
  }

  release(): void {
    this.running = Math.max(0, this.running - 1);
    this.waiting.shift()?.();
  }
}
