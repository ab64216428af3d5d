/**
 * Hot-swap: move a role to another model without losing the thread.
 *
 * Policy (README "Hot-swap"):
 * - The role's history (kept by the engine) is formatted by the new model's chat template and
 *   re-ingested into a fresh context. If it is longer than the new context minus the generation
 *   reserve, the oldest non-system turns are dropped (`drop-oldest`) and the event says how many.
 * - Before the old context goes, its KV state is saved to a file keyed by (role, model
 *   fingerprint); swapping back to that model restores it and evaluates only the new tail.
 * - Make before break: when old and new fit in the budget together, the new model is loaded
 *   (in the warm spare process, in parallel with saving the old state) and pre-filled before the
 *   old one is released. If the new model fails, the role keeps the old model
 *   (`failed-kept-old`) and nothing is lost.
 * - Break before make: when they do not fit together, the old model is released first. If the new
 *   one then fails, the slot enters `error` with the reason (`failed-error`); the history is kept,
 *   so loading any model into the role resumes the conversation.
 * Either way the engine process never crashes: model failures arrive as errors from a child.
 */
import type { PooledModel } from "./ModelPool.js";
import type { Slot } from "./Slot.js";
import type { ChatTurn, ModelIdentity, SwapEvent } from "../../../shared/slots.js";

/** What the swap needs from the registry. */
export interface SwapContext {
  identify(ref: string): Promise<ModelIdentity>;
  neededBytes(identity: ModelIdentity, contextSize: number | undefined): Promise<number>;
  fits(extraBytes: number): boolean;
  admit(slot: Slot, identity: ModelIdentity, contextSize: number | undefined): Promise<PooledModel>;
  openOn(slot: Slot, model: PooledModel, contextSize: number): Promise<void>;
  fitHistory(slot: Slot, model: PooledModel): Promise<{ turns: ChatTurn[]; dropped: number; tokens: number; totalTokens: number }>;
  release(model: PooledModel, role: string): Promise<number>;
  closeSession(model: PooledModel, key: string): Promise<void>;
  detach(slot: Slot): Promise<number>;
  stateFile(slot: Slot, fingerprint: string): string;
  emitSlot(slot: Slot): void;
  defaultContextSize: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function swapSlot(ctx: SwapContext, slot: Slot, modelRef: string, contextSize: number | undefined): Promise<SwapEvent> {
  const t0 = Date.now();
  const old = slot.model;
  const oldKey = slot.sessionKey;
  const oldIdentity = old?.identity ?? slot.identity;
  const wanted = contextSize ?? (slot.contextSize || ctx.defaultContextSize);
  const event = (partial: Partial<SwapEvent> & Pick<SwapEvent, "outcome" | "to">): SwapEvent => ({
    role: slot.role,
    from: oldIdentity,
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
    at: t0,
    ...partial,
  });

  let identity: ModelIdentity;
  try {
    identity = await ctx.identify(modelRef);
  } catch (error) {
    const placeholder = { ...(oldIdentity ?? blankIdentity()), path: modelRef, fileName: modelRef, name: modelRef };
    return event({ outcome: old ? "failed-kept-old" : "failed-error", to: placeholder, error: message(error) });
  }

  slot.status = "swapping";
  slot.progress = 0;
  slot.error = null;
  ctx.emitSlot(slot);

  // Save the old KV state in the old process while the new model loads in another one.
  const oldFile = old ? ctx.stateFile(slot, old.identity.fingerprint) : null;
  const saving = old?.proc.alive && oldFile
    ? old.proc.request({ op: "saveState", key: oldKey, file: oldFile }).then(() => slot.savedStates.set(old.identity.fingerprint, oldFile), () => undefined)
    : Promise.resolve(undefined);

  let unloadMs = 0;
  const makeBeforeBreak = !old || ctx.fits(await ctx.neededBytes(identity, wanted).catch(() => Infinity));
  if (old && !makeBeforeBreak) {
    await saving;
    const u0 = performance.now();
    await ctx.detach(slot);
    unloadMs = performance.now() - u0;
  }

  const l0 = performance.now();
  let model: PooledModel | null = null;
  try {
    model = await ctx.admit(slot, identity, wanted);
    await ctx.openOn(slot, model, wanted);
    const loadMs = performance.now() - l0;

    const fit = await ctx.fitHistory(slot, model);
    let usedSavedState = false;
    const saved = slot.savedStates.get(identity.fingerprint);
    if (saved) {
      usedSavedState = await model.proc
        .request({ op: "loadState", key: slot.sessionKey, file: saved })
        .then((r) => r.tokens > 0, () => false);
    }
    const prefill = await model.proc.request({ op: "prefill", key: slot.sessionKey, turns: fit.turns });
    slot.contextTokens = prefill.tokens;

    await saving;
    if (old && makeBeforeBreak) {
      const u0 = performance.now();
      if (old === model) await ctx.closeSession(old, oldKey);
      else {
        if (old.roles.size > 1) await ctx.closeSession(old, oldKey).catch(() => undefined);
        await ctx.release(old, slot.role);
      }
      unloadMs = performance.now() - u0;
    }
    slot.status = "ready";
    slot.progress = null;
    slot.touch();
    ctx.emitSlot(slot);
    return event({
      outcome: "ok",
      to: identity,
      unloadMs,
      loadMs,
      prefillMs: prefill.ms,
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
    else if (model && model !== old && model.roles.has(slot.role)) await ctx.release(model, slot.role).catch(() => undefined);
    await saving;
    if (old && makeBeforeBreak && old.proc.alive) {
      slot.model = old;
      slot.sessionKey = oldKey;
      slot.status = "ready";
      slot.error = null;
      slot.progress = null;
      ctx.emitSlot(slot);
      return event({ outcome: "failed-kept-old", to: identity, error: message(error), unloadMs });
    }
    slot.model = null;
    slot.identity = identity;
    slot.status = "error";
    slot.progress = null;
    slot.error = `swap to ${identity.name} failed: ${message(error)}`;
    ctx.emitSlot(slot);
    return event({ outcome: "failed-error", to: identity, error: message(error), unloadMs });
  }
}

function blankIdentity(): ModelIdentity {
  return {
    path: "", fileName: "", name: "", sizeBytes: 0, fingerprint: "", architecture: "", parameterCount: 0,
    quantization: "", trainContextSize: 0, vocabSize: 0, hasChatTemplate: false,
  };
}
