/**
 * What a drag-to-swap will cost, before the user confirms it: memory from the engine's estimate
 * (weights, context, and a model process when no seat has the file yet), time as
 * unload + load + re-ingest from this machine's measured speeds (runtime/slots/perfModel.ts) — the same
 * prediction every swap event carries beside its measured time.
 */
import type { SwapPrediction } from "../../../../shared/rpc.js";
import type { SeatRef } from "../../../../shared/slots.js";
import type { SlotRegistry } from "../slots/SlotRegistry.js";

/** Tokens of a history that is not in a context right now (≈3.5 characters a token). */
function estimateTokens(turns: readonly { content: string }[]): number {
  return Math.ceil(turns.reduce((n, t) => n + t.content.length + 8, 0) / 3.5);
}

export async function predictSwap(registry: SlotRegistry, seat: SeatRef, modelRef: string, contextSize?: number): Promise<SwapPrediction> {
  const slot = registry.get(seat);
  const size = contextSize ?? (slot?.contextSize || undefined);
  const { estimateBytes, identity } = await registry.estimate(modelRef, size !== undefined ? { contextSize: size } : {});
  const estimate = await registry.memoryEstimate(modelRef, size);
  const usage = registry.usage();
  const current = slot?.model && slot.status !== "parked" ? (slot.memory.estimateBytes ?? 0) : 0;
  const projectedTotalBytes = Math.max(0, usage.inUseBytes - current) + estimateBytes;
  const history = registry.getHistory(seat);
  const historyTokens = slot?.contextTokens ? slot.contextTokens : estimateTokens(history);
  const p = registry.perf.predict({
    from: slot?.model && slot.status !== "parked" ? slot.model : null,
    to: identity,
    historyTokens,
    savedTokens: Math.min(historyTokens, registry.savedTokens(seat, identity, size)),
  });
  return {
    role: seat.role,
    modelRef,
    action: slot?.model ? "swap" : "load",
    estimateBytes,
    estimate,
    projectedTotalBytes,
    budgetBytes: usage.budgetBytes,
    fitsBudget: projectedTotalBytes <= usage.budgetBytes,
    predictedMs: p.ms,
    unloadMs: p.unloadMs,
    loadMs: p.loadMs,
    reingestMs: p.reingestMs,
    basis: p.basis,
    historyTurns: history.length,
  };
}
