/**
 * The sequences of one serving context, handed out to concurrent requests: a request takes a free
 * sequence (or waits its turn, first come first served) and gives it back when its generation ends.
 * The requests on the taken sequences are decoded together in shared batches by llama.cpp, which is
 * what makes N concurrent requests cost little more than one on a machine with spare compute.
 */
export class SequenceLanes {
  private readonly free: number[];
  private readonly waiting: { resolve(lane: number): void; reject(error: Error): void }[] = [];
  private closedWith: Error | null = null;

  /** `total` sequences of the context keyed `contextKey`. */
  constructor(
    readonly contextKey: string,
    readonly total: number,
  ) {
    this.free = Array.from({ length: total }, (_, i) => i);
  }

  /** Sequences generating now. */
  get inUse(): number {
    return this.total - this.free.length;
  }

  /** Requests waiting for a sequence. */
  get queued(): number {
    return this.waiting.length;
  }

  /** A free sequence index; waits while all are taken. Rejects once the context is closed. */
  acquire(): Promise<number> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const lane = this.free.shift();
    if (lane !== undefined) return Promise.resolve(lane);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Gives a sequence back; the longest-waiting request gets it. */
  release(lane: number): void {
    const next = this.waiting.shift();
    if (next && !this.closedWith) next.resolve(lane);
    else this.free.push(lane);
  }

  /** The context is gone (unload, swap, crash): waiting requests fail with `reason`. */
  close(reason: string): void {
    this.closedWith ??= new Error(reason);
    for (const w of this.waiting.splice(0)) w.reject(this.closedWith);
  }
}
