/** Serialises the operations on one seat (load, swap, generate, prefetch, park) without blocking others. */
export class RoleLock {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Whether an operation holds or waits for this lock (admission skips such seats rather than wait). */
  get busy(): boolean {
    return this.pending > 0;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task, task).finally(() => this.pending--);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
