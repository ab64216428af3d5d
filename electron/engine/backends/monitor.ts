/**
 * Per-backend monitoring as the registry shows it: calls, success rate, average and p95 latency,
 * and the last error. Latencies are kept in a bounded window so a long-lived pool stays small.
 */

/** What the registry shows for one backend. */
export interface BackendStats {
  calls: number;
  successes: number;
  failures: number;
  /** 0..1; null before the first call. */
  successRate: number | null;
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  /** Circuit state, filled in by the pool. */
  circuit: "closed" | "open" | "half-open";
}

const WINDOW = 512;

export class BackendMonitor {
  private calls = 0;
  private successes = 0;
  private readonly latencies: number[] = [];
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;

  /** Records one finished attempt (successful or not) and its wall time. */
  record(ok: boolean, latencyMs: number, error?: string): void {
    this.calls++;
    if (ok) this.successes++;
    else {
      this.lastError = error ?? "failed";
      this.lastErrorAt = Date.now();
    }
    this.latencies.push(latencyMs);
    if (this.latencies.length > WINDOW) this.latencies.shift();
  }

  stats(circuit: BackendStats["circuit"] = "closed"): BackendStats {
    const n = this.latencies.length;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      calls: this.calls,
      successes: this.successes,
      failures: this.calls - this.successes,
      successRate: this.calls === 0 ? null : this.successes / this.calls,
      avgLatencyMs: n === 0 ? null : sorted.reduce((s, x) => s + x, 0) / n,
      // Nearest-rank p95: the smallest latency at or above 95% of the window.
      p95LatencyMs: n === 0 ? null : (sorted[Math.min(n - 1, Math.ceil(0.95 * n) - 1)] ?? null),
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      circuit,
    };
  }
}
