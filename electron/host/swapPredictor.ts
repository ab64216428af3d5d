/**
 * Predicts what a drag-to-swap will cost before the user confirms it.
 *
 * Memory comes from the engine's own estimate when it offers one; time comes from swaps measured in
 * this run (ms per byte of model plus ms per history turn), because load speed depends on the disk
 * and page cache far more than on anything we can compute up front.
 */
import { stat } from "node:fs/promises";
import type { SwapEvent } from "../../shared/slots.js";
import type { SwapPrediction } from "../../shared/rpc.js";
import type { SlotsService } from "./services.js";

/** Until a swap has been measured: a conservative 1.5 GB/s read plus 50 ms of fixed cost. */
const DEFAULT_MS_PER_BYTE = 1 / 1.5e6;
const DEFAULT_FIXED_MS = 50;
/** Weights dominate; KV cache and buffers add roughly this share on top when no estimate exists. */
const HEURISTIC_OVERHEAD = 1.2;

/** Keeps a running rate of observed swaps and turns it into predictions. */
export class SwapPredictor {
  #bytes = 0;
  #ms = 0;
  #samples = 0;

  constructor(private readonly slots: SlotsService) {}

  /** Feeds one measured swap into the rate. Failed swaps say nothing about load speed. */
  record(event: SwapEvent): void {
    if (event.outcome !== "ok") return;
    this.#bytes += event.to.sizeBytes;
    this.#ms += event.unloadMs + event.loadMs + event.prefillMs;
    this.#samples += 1;
  }

  /** Predicted memory and time for putting `modelRef` into `role`. */
  async predict(role: string, modelRef: string, contextSize?: number): Promise<SwapPrediction> {
    const slot = this.slots.list().find((s) => s.role === role);
    const report = await this.slots.memory();
    const options = contextSize === undefined ? undefined : { contextSize };
    let estimateBytes: number;
    let memoryBasis: string;
    if (this.slots.estimate) {
      estimateBytes = (await this.slots.estimate(modelRef, options)).estimateBytes;
      memoryBasis = "engine estimate";
    } else {
      estimateBytes = (await stat(modelRef)).size * HEURISTIC_OVERHEAD;
      memoryBasis = "file size + 20%";
    }
    const current = slot?.model ? slot.memory.measuredBytes ?? slot.memory.estimateBytes : 0;
    const projectedTotalBytes = Math.max(0, report.estimatedTotalBytes - current) + estimateBytes;
    const historyTurns = slot ? this.slots.getHistory(role).length : 0;
    const sizeBytes = estimateBytes / HEURISTIC_OVERHEAD;
    const measured = this.#samples > 0 && this.#bytes > 0;
    const msPerByte = measured ? this.#ms / this.#bytes : DEFAULT_MS_PER_BYTE;
    const predictedMs = DEFAULT_FIXED_MS + sizeBytes * msPerByte + historyTurns * 5;
    return {
      role,
      modelRef,
      action: slot?.model ? "swap" : "load",
      estimateBytes,
      projectedTotalBytes,
      budgetBytes: report.budgetBytes,
      fitsBudget: projectedTotalBytes <= report.budgetBytes,
      predictedMs,
      basis: measured
        ? `time from ${this.#samples} measured swap${this.#samples === 1 ? "" : "s"} this session; memory: ${memoryBasis}`
        : `time from a 1.5 GB/s load heuristic (no swap measured yet); memory: ${memoryBasis}`,
      historyTurns,
    };
  }
}
