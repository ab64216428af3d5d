/**
 * Putting a model into a seat without losing the thread. A first load, a reload after rotation or a
 * crash, and a hot swap are the same sequence here — a load is a swap from nothing.
 *
 * - The seat's history (kept by the engine) is formatted by the new model's chat template and
 *   re-ingested into a fresh context. If it is longer than the new context minus the generation
 *   reserve, the oldest non-system turns are dropped (`drop-oldest`) and the event says how many.
 * - Before a context goes, its KV state is saved to a file keyed by (seat, model fingerprint,
 *   context size); coming back to that model restores it and evaluates only the new tail. The
 *   runtime compares the restored tokens with the new prompt, so a changed prefix is re-evaluated
 *   rather than trusted; a state is never loaded into another model or context size.
 * - A swap staged ahead of time (the new model loaded and pre-filled while another seat spoke) is
 *   committed here: only the turns added since staging are evaluated.
 * - Make before break: when old and new fit in the budget together, the new model loads (in the
 *   warm spare, while the old context saves its state) and is pre-filled before the old one goes.
 *   If the new model fails, the seat keeps the old one (`failed-kept-old`).
 * - Break before make otherwise: the old model goes first; if the new one then fails, the seat
 *   enters `error` with the reason (`failed-error`) and keeps its history.
 * Either way the engine process never crashes: model failures arrive as errors from a child.
 */
import type { PooledModel } from "./ModelPool.js";
import type { PerfModel } from "./perfModel.js";
import type { SavedState, Slot } from "./Slot.js";
import type { FittedHistory } from "./historyFit.js";
import type { ModelIdentity, SlotStatus, SwapEvent, SwapKind } from "../../../shared/slots.js";

/** What the swap needs from the registry. */
export interface SwapContext {
  needBytes(identity: ModelIdentity, contextSize: number): Promise<number>;
  fits(extraBytes: number): boolean;
  admit(slot: Slot, identity: ModelIdentity, contextSize: number, exclude: ReadonlySet<string>): Promise<PooledModel>;
  openOn(slot: Slot, model: PooledModel, contextSize: number): Promise<void>;
  fitHistory(slot: Slot, model: PooledModel): Promise<FittedHistory>;
  release(model: PooledModel, seat: string): Promise<number>;
  closeContext(model: PooledModel, key: string): Promise<void>;
  /** Saves the seat's current KV state (when its process is alive) for a later return. */
  saveState(slot: Slot): Promise<void>;
  /** The saved state for this model and context size, if any. */
  savedState(slot: Slot, identity: ModelIdentity, contextSize: number): SavedState | null;
  detach(slot: Slot): Promise<number>;
  perf: PerfModel;
  defaultContextSize: number;
}

export interface SwapRequest {
  identity: ModelIdentity;
  contextSize?: number;
  kind: SwapKind;
  /** Seats that must not be parked to make room (the seat about to speak). */
  exclude?: ReadonlySet<string>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A refusal for lack of memory (not a broken file or a crash). */
export function isBudgetRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "over-budget" || code === "over-budget-alone";
}

/** History tokens to predict with: the context's count when resident, else a size estimate. */
function historyTokens(slot: Slot): number {
  if (slot.contextTokens > 0) return slot.contextTokens;
  return Math.ceil(slot.history.reduce((n, t) => n + t.content.length + 8, 0) / 3.5);
}

export async function swapSlot(ctx: SwapContext, slot: Slot, request: SwapRequest): Promise<SwapEvent> {
  const t0 = Date.now();
  const { identity, kind } = request;
  const exclude = request.exclude ?? new Set<string>();
  const old = slot.model;
  const oldKey = slot.contextKey;
  const oldIdentity = old?.identity ?? slot.identity;
  const before: SlotStatus = slot.status;
  const sameModel = oldIdentity !== null && oldIdentity.fingerprint === identity.fingerprint && oldIdentity.path === identity.path;
  const wanted = request.contextSize ?? slot.requestedContextSize ?? (slot.contextSize || ctx.defaultContextSize);
  const staged = slot.staged?.identity.fingerprint === identity.fingerprint && slot.staged.identity.path === identity.path ? slot.staged : null;
  const saved = ctx.savedState(slot, identity, wanted);
  const prediction = ctx.perf.predict({
    from: old?.identity ?? null,
    to: identity,
    historyTokens: historyTokens(slot),
    savedTokens: staged ? historyTokens(slot) : Math.min(historyTokens(slot), saved?.tokens ?? 0),
    alreadyLoaded: staged !== null,
  });
  const event = (partial: Partial<SwapEvent> & Pick<SwapEvent, "outcome">): SwapEvent => ({
    sessionId: slot.sessionId,
    role: slot.role,
    kind,
    from: old || kind !== "load" ? oldIdentity : null,
    to: identity,
    error: null,
    unloadMs: 0,
    loadMs: 0,
    prefillMs: 0,
    tokensReingested: 0,
    tokensEvaluated: 0,
    historyTokens: 0,
    historyTurns: slot.history.length,
    keptTurns: 0,
    droppedTurns: 0,
    compression: null,
    usedSavedState: false,
    prefetched: staged !== null,
    predictedMs: prediction.ms,
    coldMs: prediction.coldMs,
    visibleGapMs: null,
    at: t0,
    ...partial,
  });

  // A resident seat, or a parked one taking another model, swaps; anything else loads.
  slot.moveTo(old || (before === "parked" && !sameModel) || (before === "error" && !sameModel && oldIdentity) ? "swapping" : "loading");
  if (staged) slot.staged = null;

  // Save the old KV state in the old process while the new model loads in another one.
  const saving = old ? ctx.saveState(slot).catch(() => undefined) : Promise.resolve();
  let unloadMs = 0;
  const makeBeforeBreak = !old || staged !== null || ctx.fits(await ctx.needBytes(identity, wanted).catch(() => Infinity));
  if (old && !makeBeforeBreak) {
    await saving;
    const u0 = performance.now();
    await ctx.detach(slot);
    unloadMs = performance.now() - u0;
  }

  const l0 = performance.now();
  let model: PooledModel | null = null;
  try {
    let loadMs: number;
    if (staged) {
      model = staged.model;
      model.seats.delete(`${slot.key}~staged`);
      model.seats.add(slot.key);
      slot.model = model;
      slot.contextKey = staged.contextKey;
      slot.contextSize = staged.contextSize;
      slot.contextEstimateBytes = staged.contextEstimateBytes;
      loadMs = staged.loadMs;
    } else {
      model = await ctx.admit(slot, identity, wanted, exclude);
      // Only a load that started a process says something about this machine's load speed.
      const fresh = model !== old && model.seats.size === 1;
      await ctx.openOn(slot, model, wanted);
      loadMs = performance.now() - l0;
      if (fresh) ctx.perf.recordLoad(identity, model.loadMs);
    }

    const fit = await ctx.fitHistory(slot, model);
    let usedSavedState = false;
    if (saved && !staged) {
      usedSavedState = await model.proc
        .request({ op: "loadState", key: slot.contextKey, file: saved.file })
        .then((r) => r.tokens > 0, () => false);
    }
    const prefill = await model.proc.request({ op: "prefill", key: slot.contextKey, turns: fit.turns });
    slot.contextTokens = prefill.tokens;
    if (!usedSavedState && !staged) ctx.perf.recordPrefill(identity, prefill.evaluatedTokens, prefill.ms);

    await saving;
    if (old && makeBeforeBreak) {
      const u0 = performance.now();
      if (old === model) await ctx.closeContext(old, oldKey);
      else {
        if (old.seats.size > 1) await ctx.closeContext(old, oldKey).catch(() => undefined);
        await ctx.release(old, slot.key);
      }
      unloadMs = performance.now() - u0;
    }
    if (old) ctx.perf.recordUnload(unloadMs);
    slot.identity = identity;
    slot.requestedContextSize = wanted;
    slot.touch();
    slot.pendingGap = { swapAt: t0 };
    slot.moveTo("ready");
    return event({
      outcome: "ok",
      unloadMs,
      loadMs,
      prefillMs: prefill.ms + (staged?.prefillMs ?? 0),
      tokensReingested: prefill.tokens,
      tokensEvaluated: prefill.evaluatedTokens,
      historyTokens: fit.totalTokens,
      keptTurns: fit.turns.length,
      droppedTurns: fit.dropped,
      compression: fit.dropped > 0 ? "drop-oldest" : null,
      usedSavedState,
    });
  } catch (error) {
    // Undo the half-made new side; the old side is either still whole or already gone.
    if (slot.model && slot.model !== old) await ctx.detach(slot).catch(() => undefined);
    else if (model && model !== old && model.seats.has(slot.key)) await ctx.release(model, slot.key).catch(() => undefined);
    await saving;
    if (old && makeBeforeBreak && old.proc.alive) {
      slot.model = old;
      slot.contextKey = oldKey;
      slot.moveTo("ready");
      return event({ outcome: "failed-kept-old", error: message(error), unloadMs });
    }
    slot.lastFailure = error;
    if (!old && before === "parked" && oldIdentity && (!sameModel || isBudgetRefusal(error))) {
      // A parked seat keeps its model when another one cannot come in, or when there is no room
      // for it right now: still parked, nothing lost.
      slot.moveTo("parked");
      return event({ outcome: "failed-kept-old", error: message(error) });
    }
    slot.model = null;
    slot.identity = identity;
    slot.moveTo("error", `${kind === "load" ? "loading" : "swap to"} ${identity.name} failed: ${message(error)}`);
    return event({ outcome: "failed-error", error: message(error), unloadMs });
  }
}
