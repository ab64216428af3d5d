/** Serialises the operations on one seat (load, swap, generate, prefetch, park) without blocking others. */
export class RoleLock {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Whether an operation holds or waits for this lock (admission skips such seats rather than wait). */
  get busy(): boolean {
    return this.pending > 0;
  }

  /**
   * Runs a synchronous `task` under the lock: at once when nobody holds or waits for it (a task
   * that does not await cannot interleave with anything), else after the operations ahead of it,
   * which then see the world as it was before `task` changed it.
   */
  runWhenFree(task: () => void): Promise<void> {
    if (this.pending === 0) {
      task();
      return Promise.resolve();
    }
    return this.run(async () => task());
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task, task).finally(() => this.pending--);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
