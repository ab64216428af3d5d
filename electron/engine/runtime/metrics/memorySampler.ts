/**
 * Records memory over time for running sessions, so the "Metrics" view can plot the engine's
 * estimate against the measured memory of the model processes (in the one measure of
 * runtime/worker/processMemory.ts) against the budget. While at least one
 * session is tracked it asks the slot registry for its memory report every `intervalMs`, and at
 * once after every hot swap and load (so a swap marker has a sample beside it), and writes the three
 * figures as {@link MEMORY_METRIC} metrics under each tracked session with one shared timestamp.
 *
 * The registry's report covers every loaded model, so each tracked session records the whole
 * engine's memory: concurrent sessions share the machine, and the budget is the machine's.
 */
import type { MetricInput } from "../../../../shared/conversation.js";
import { MEMORY_METRIC } from "../../../../shared/metrics.js";
import type { EngineEvent, MemoryReport } from "../../../../shared/slots.js";

/** Where the reports come from; `SlotRegistry` satisfies it. */
export interface MemorySource {
  memory(): Promise<MemoryReport>;
  onEvent?(listener: (event: EngineEvent) => void): () => void;
}

export interface MemorySamplerOptions {
  source: MemorySource;
  recorder: { recordMetric(input: MetricInput): unknown };
  /** Time between samples while a session is tracked (default 1000 ms). */
  intervalMs?: number;
  /** Called with a sampling failure; sampling goes on. Default: ignored (the next tick retries). */
  onError?: (error: unknown) => void;
}

/** Samples memory for the sessions it tracks; see the module note. */
export class MemorySampler {
  readonly #tracked = new Set<string>();
  readonly #options: MemorySamplerOptions;
  #timer: ReturnType<typeof setInterval> | null = null;
  #inFlight: Promise<void> | null = null;
  #again = false;
  #unsubscribe: (() => void) | null = null;
  #disposed = false;

  constructor(options: MemorySamplerOptions) {
    this.#options = options;
    this.#unsubscribe =
      options.source.onEvent?.((e) => {
        if (this.#tracked.size === 0) return;
        // The moments memory moves: a swap finished, a model finished loading or left.
        if (e.type === "swap" || e.type === "slot-removed" || (e.type === "slot" && e.slot.status === "ready")) void this.sample();
      }) ?? null;
  }

  /** The sessions being sampled now. */
  get tracked(): readonly string[] {
    return [...this.#tracked];
  }

  /** Starts sampling for `sessionId` (a first sample is taken at once). */
  track(sessionId: string): void {
    if (this.#disposed || this.#tracked.has(sessionId)) return;
    this.#tracked.add(sessionId);
    this.#timer ??= setInterval(() => void this.sample(), this.#options.intervalMs ?? 1000);
    void this.sample();
  }

  /** Takes a last sample that still includes `sessionId`, then stops sampling for it. */
  async untrack(sessionId: string): Promise<void> {
    if (!this.#tracked.has(sessionId)) return;
    await this.sample();
    this.#tracked.delete(sessionId);
    if (this.#tracked.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  /**
   * Records one sample for every tracked session. Concurrent calls coalesce: while a report is being
   * built, at most one more sample is queued.
   */
  sample(): Promise<void> {
    if (this.#inFlight) {
      this.#again = true;
      return this.#inFlight;
    }
    this.#inFlight = this.#sampleOnce().finally(() => {
      this.#inFlight = null;
      if (this.#again && !this.#disposed) {
        this.#again = false;
        void this.sample();
      }
    });
    return this.#inFlight;
  }

  async #sampleOnce(): Promise<void> {
    if (this.#tracked.size === 0) return;
    let report: MemoryReport;
    try {
      report = await this.#options.source.memory();
    } catch (error) {
      this.#options.onError?.(error);
      return;
    }
    const at = Date.now();
    const { recorder } = this.#options;
    for (const sessionId of this.#tracked) {
      try {
        recorder.recordMetric({ sessionId, name: MEMORY_METRIC.estimated, value: report.inUseBytes, at });
        recorder.recordMetric({ sessionId, name: MEMORY_METRIC.measured, value: report.measuredTotalBytes, at });
        recorder.recordMetric({ sessionId, name: MEMORY_METRIC.budget, value: report.budgetBytes, at });
      } catch (error) {
        // A session deleted meanwhile (foreign key) must not stop the others' samples.
        this.#options.onError?.(error);
      }
    }
  }

  /** Stops sampling; waits for a sample in flight so nothing writes to a closed store. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#unsubscribe?.();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#tracked.clear();
    await this.#inFlight;
  }
}
