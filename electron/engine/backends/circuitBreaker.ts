/**
 * A circuit breaker per backend: after `threshold` consecutive failures the circuit opens and the
 * pool skips the backend (going to its fallbacks) until `cooldownMs` has passed; then one trial
 * request is let through (half-open), whose outcome closes or re-opens the circuit.
 */

export interface CircuitOptions {
  /** Consecutive failures that open the circuit. Default 3. */
  threshold?: number;
  /** How long an open circuit refuses calls. Default 30 s. */
  cooldownMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export type CircuitState = "closed" | "open" | "half-open";

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(options: CircuitOptions = {}) {
    this.threshold = options.threshold ?? 3;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === null) return "closed";
    return this.now() - this.openedAt >= this.cooldownMs ? "half-open" : "open";
  }

  /** Whether a call may go through now; a half-open circuit admits one trial at a time. */
  tryAcquire(): boolean {
    const s = this.state;
    if (s === "closed") return true;
    if (s === "open" || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures++;
    // A failed trial re-opens at once; a closed circuit opens at the threshold.
    if (this.trialInFlight || this.failures >= this.threshold) this.openedAt = this.now();
    this.trialInFlight = false;
  }

  /** Milliseconds until an open circuit admits a trial (0 when not open). */
  retryInMs(): number {
    return this.openedAt === null ? 0 : Math.max(0, this.cooldownMs - (this.now() - this.openedAt));
  }
}
