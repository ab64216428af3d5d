/**
 * Pause, resume and abort for a running session. The orchestrator calls {@link SessionControl.checkpoint}
 * before every turn: a pause takes effect between turns (the turn being generated finishes and is
 * recorded), an abort also stops the turn in flight through `signal`, keeping its partial text.
 */

/** Thrown out of `checkpoint` once the session is aborted. */
export class SessionAborted extends Error {
  constructor(readonly reason: string) {
    super(`session aborted: ${reason}`);
    this.name = "SessionAborted";
  }
}

export class SessionControl {
  private readonly controller = new AbortController();
  private pausedGate: { promise: Promise<void>; release: () => void } | null = null;
  private abortReason: string | null = null;
  private interruptReason: string | null = null;

  /** Aborted when the session is; pass to generations. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get paused(): boolean {
    return this.pausedGate !== null;
  }

  get aborted(): boolean {
    return this.abortReason !== null;
  }

  /** Returns false when already paused or finished. */
  pause(): boolean {
    if (this.pausedGate || this.aborted) return false;
    let release = (): void => {};
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.pausedGate = { promise, release };
    return true;
  }

  /** Returns false when not paused. */
  resume(): boolean {
    const gate = this.pausedGate;
    if (!gate) return false;
    this.pausedGate = null;
    gate.release();
    return true;
  }

  /** Aborts the turn in flight and every later one (also releases a pause). */
  abort(reason = "aborted by the user"): boolean {
    if (this.aborted) return false;
    this.abortReason = reason;
    this.controller.abort(new SessionAborted(reason));
    this.resume();
    return true;
  }

  /**
   * Stops the session without ending it (the engine is shutting down): the turn in flight is
   * dropped, not recorded, and the session stays resumable as `interrupted`.
   */
  interrupt(reason: string): boolean {
    if (this.aborted) return false;
    this.interruptReason = reason;
    return this.abort(reason);
  }

  get interrupted(): boolean {
    return this.interruptReason !== null;
  }

  /** Waits while paused; throws {@link SessionAborted} once aborted. */
  async checkpoint(): Promise<void> {
    while (this.pausedGate) await this.pausedGate.promise;
    if (this.abortReason !== null) throw new SessionAborted(this.abortReason);
  }

  /** How a run that threw ended: interrupted (the host went away), aborted (the user stopped it) or failed. */
  endOf(e: unknown): { status: "interrupted" | "aborted" | "failed"; error: string } {
    const reason = this.signal.reason instanceof SessionAborted ? this.signal.reason.reason : null;
    if (this.interrupted) return { status: "interrupted", error: reason ?? "interrupted" };
    if (this.aborted || e instanceof SessionAborted) return { status: "aborted", error: reason ?? String(e) };
    return { status: "failed", error: e instanceof Error ? e.message : String(e) };
  }
}
