/**
 * The event of a swap whose target could not be read or validated: nothing happened to the seat,
 * which keeps its model (or its empty or parked state), and the event says why.
 */
import type { Slot } from "./Slot.js";
import type { ModelIdentity, SwapEvent, SwapKind } from "../../../../shared/slots.js";

export function unreadableSwap(slot: Slot, modelRef: string, kind: SwapKind, error: unknown): SwapEvent {
  const from = slot.model?.identity ?? slot.identity;
  const to: ModelIdentity = {
    ...(from ?? { sizeBytes: 0, fingerprint: "", architecture: "", parameterCount: 0, quantization: "", trainContextSize: 0, vocabSize: 0, hasChatTemplate: false }),
    path: modelRef,
    fileName: modelRef,
    name: modelRef,
  };
  return {
    sessionId: slot.sessionId,
    role: slot.role,
    kind,
    from,
    to,
    outcome: from ? "failed-kept-old" : "failed-error",
    error: error instanceof Error ? error.message : String(error),
    unloadMs: 0,
    loadMs: 0,
    prefillMs: 0,
    tokensReingested: 0,
    tokensEvaluated: 0,
    historyTokens: 0,
    historyTurns: slot.history.length,
    keptTurns: slot.history.length,
    droppedTurns: 0,
    compression: null,
    usedSavedState: false,
    prefetched: false,
    predictedMs: null,
    coldMs: null,
    visibleGapMs: null,
    at: Date.now(),
  };
}
