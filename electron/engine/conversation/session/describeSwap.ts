import type { SwapEvent } from "../../../../shared/slots.js";

/** One line for a swap event in the transcript: who, from what to what, and what it cost or why it failed. */
export function describeSwap(event: SwapEvent): string {
  const detail =
    event.outcome === "ok"
      ? `ok: unload ${Math.round(event.unloadMs)} ms, load ${Math.round(event.loadMs)} ms, re-ingested ${event.tokensReingested} tokens` +
        (event.usedSavedState ? ` (restored saved state, evaluated ${event.tokensEvaluated})` : "") +
        (event.droppedTurns > 0 ? `, dropped ${event.droppedTurns} oldest turns (${event.compression})` : "")
      : `${event.outcome}: ${event.error ?? "unknown error"}`;
  return `${event.role} ${event.from?.name ?? "(empty)"} → ${event.to.name} (${detail})`;
}
