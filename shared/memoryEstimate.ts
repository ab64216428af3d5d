/**
 * The one memory estimate of a model on a seat, as the library list, the load dialog and the seat
 * card all show it: the weights, the KV cache of the seat's context, and the model process's own
 * start-up memory (the runtime, before any model) — the three things the budget counts for a seat.
 * Seats that share one loaded file share its weights and process, so each shows its share of those.
 */
import { z } from "zod";

export const MemoryEstimate = z.object({
  /** The model's weights in memory (its share when seats share the file). */
  weightsBytes: z.number().nonnegative(),
  /** The KV cache and compute buffers of the seat's context. */
  contextBytes: z.number().nonnegative(),
  /** The model process's own memory before it loads a model (its share when seats share it). */
  processBytes: z.number().nonnegative(),
});
export type MemoryEstimate = z.infer<typeof MemoryEstimate>;

/** The estimate's total: weights + KV cache + process. */
export function estimateTotalBytes(e: MemoryEstimate): number {
  return e.weightsBytes + e.contextBytes + e.processBytes;
}

/** A seat's share of an estimate whose weights and process serve `seats` seats. */
export function seatShare(e: MemoryEstimate, seats: number): MemoryEstimate {
  const n = Math.max(1, seats);
  return { weightsBytes: e.weightsBytes / n, contextBytes: e.contextBytes, processBytes: e.processBytes / n };
}
