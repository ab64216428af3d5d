/**
 * A typed fan-out of events to listeners. A listener that throws is skipped for that event and the
 * others still hear it: one broken subscriber (a closed connection, a UI bug) must never stop a
 * session, a seat or the other subscribers. Listeners added during an emit hear it; removed ones
 * that have not been called yet do not (a `Set`'s iteration order).
 */
export class Emitter<T> {
  readonly #listeners = new Set<(event: T) => void>();

  /** Adds `listener`; the returned function removes it. */
  on(listener: (event: T) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Calls every listener with `event`; what a listener throws is swallowed, so the rest are called. */
  emit(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // Deliberately ignored: the emitter's contract is that one listener cannot break the others.
      }
    }
  }

  /** How many listeners are attached. */
  get size(): number {
    return this.#listeners.size;
  }

  /** Removes every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
