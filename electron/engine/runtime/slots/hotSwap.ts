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
 *
 * {@link hotSwap} reads top to bottom as one transaction — admit, open, restore or prefill, commit,
 * release — with one rollback path. It runs under the seat's lock: a model process that dies
 * meanwhile is seen here (its requests fail), and the crash handler waits for the lock, so the seat
 * never changes status behind the swap's back. Every status change names the status it expects.
 */
import type { PooledModel } from "./ModelPool.js";
import type { PerfModel } from "./perfModel.js";
import type { Slot, StagedSwap } from "./Slot.js";
import type { BudgetAdmission } from "./budgetAdmission.js";
import type { SeatContext } from "./seatContext.js";
import type { ModelIdentity, SlotStatus, SwapEvent, SwapKind } from "../../../../shared/slots.js";

/** What the swap needs besides the seat: admission, the budget check and the performance model. */
export interface SwapDeps {
  admission: Pick<BudgetAdmission, "need" | "admit">;
  /** Whether `extraBytes` more fit in the budget now. */
  fits(extraBytes: number): boolean;
  perf: PerfModel;
}

/** A validated swap: every field is already checked and resolved by the caller. */
export interface SwapRequest {
  identity: ModelIdentity;
  /** The context size to open: the request's, else the seat's, else the engine's default. */
  contextSize: number;
  kind: SwapKind;
  /** Seats that must not be parked to make room (the seat about to speak, and this one). */
  exclude: ReadonlySet<string>;
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

const sameFile = (a: ModelIdentity | null, b: ModelIdentity) => a !== null && a.fingerprint === b.fingerprint && a.path === b.path;

/** What the transaction knows of the seat before it touches anything, and the event it will report. */
interface Before {
  old: PooledModel | null;
  oldKey: string;
  oldIdentity: ModelIdentity | null;
  status: SlotStatus;
  sameModel: boolean;
  staged: StagedSwap | null;
  /** When the swap began (the event's `at`, and the start of its visible gap). */
  at: number;
  event: (partial: Partial<SwapEvent> & Pick<SwapEvent, "outcome">) => SwapEvent;
}

function snapshot(deps: SwapDeps, seat: SeatContext, request: SwapRequest): Before {
  const slot = seat.slot;
  const t0 = Date.now();
  const { identity, kind } = request;
  const old = slot.model;
  const oldIdentity = old?.identity ?? slot.identity;
  const staged = slot.staged && sameFile(slot.staged.identity, identity) ? slot.staged : null;
  const saved = seat.savedState(identity, request.contextSize);
  const prediction = deps.perf.predict({
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
  return { old, oldKey: slot.contextKey, oldIdentity, status: slot.status, sameModel: sameFile(oldIdentity, identity), staged, at: t0, event };
}

/** Runs one swap (a load is a swap from nothing) on a seat whose lock the caller holds. */
export async function hotSwap(deps: SwapDeps, seat: SeatContext, request: SwapRequest): Promise<SwapEvent> {
  const slot = seat.slot;
  const { identity, contextSize } = request;
  const b = snapshot(deps, seat, request);
  const { old, staged } = b;
  // A resident seat, or a parked or failed one taking another model, swaps; anything else loads.
  const moving: SlotStatus = old || (b.status === "parked" && !b.sameModel) || (b.status === "error" && !b.sameModel && b.oldIdentity) ? "swapping" : "loading";
  slot.moveTo(b.status, moving);
  if (staged) slot.staged = null;

  // The old KV state is saved in the old process while the new model loads in another one.
  const saving = old ? seat.saveState().catch(() => undefined) : Promise.resolve();
  let makeBeforeBreak = true;
  let unloadMs = 0;
  let model: PooledModel | null = null;
  try {
    // 1. Admit: make before break when both fit, else the old model goes first.
    makeBeforeBreak = !old || staged !== null || deps.fits(await deps.admission.need(identity, contextSize).then((n) => n.needed, () => Infinity));
    if (old && !makeBeforeBreak) {
      await saving;
      const u0 = performance.now();
      await seat.detach();
      unloadMs = performance.now() - u0;
    }
    const l0 = performance.now();
    let loadMs: number;
    if (staged) {
      model = staged.model;
      seat.adopt(staged);
      loadMs = staged.loadMs;
    } else {
      model = await deps.admission.admit(slot, identity, contextSize, request.exclude);
      // Only a load that started a process says something about this machine's load speed.
      const fresh = model !== old && model.seats.size === 1;
      // 2. Open the seat's context on the new model.
      await seat.open(model, contextSize);
      loadMs = performance.now() - l0;
      if (fresh) deps.perf.recordLoad(identity, model.loadMs);
    }

    // 3. Restore a saved state of this model and size, then prefill what it does not cover.
    const fit = await seat.fit(model);
    const saved = staged ? null : seat.savedState(identity, contextSize);
    const usedSavedState = saved ? await seat.restore(model, saved) : false;
    const prefill = await seat.prefill(model, fit.turns);
    if (!usedSavedState && !staged) deps.perf.recordPrefill(identity, prefill.evaluatedTokens, prefill.ms);
    await saving;

    // 4. Commit: the seat is the new model's. Nothing after this fails the swap.
    slot.identity = identity;
    slot.requestedContextSize = contextSize;
    slot.touch();
    slot.pendingGap = { swapAt: b.at };
    slot.moveTo(moving, "ready");

    // 5. Release the old side: its context, and its model when this was its last seat.
    if (old && makeBeforeBreak) {
      const u0 = performance.now();
      if (old === model) await seat.closeContext(old, b.oldKey).catch(() => undefined);
      else {
        if (old.seats.size > 1) await seat.closeContext(old, b.oldKey).catch(() => undefined);
        await seat.release(old).catch(() => 0);
      }
      unloadMs = performance.now() - u0;
    }
    if (old) deps.perf.recordUnload(unloadMs);
    return b.event({
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
    return rollback(seat, request, b, { moving, makeBeforeBreak, unloadMs, model, saving }, error);
  }
}

/** The one way back: undo the half-made new side, then keep the old side when it is still whole. */
async function rollback(
  seat: SeatContext,
  request: SwapRequest,
  b: Before,
  at: { moving: SlotStatus; makeBeforeBreak: boolean; unloadMs: number; model: PooledModel | null; saving: Promise<void> },
  error: unknown,
): Promise<SwapEvent> {
  const slot = seat.slot;
  const { old } = b;
  const { identity, kind } = request;
  if (slot.model && slot.model !== old) await seat.detach().catch(() => undefined);
  else if (at.model && at.model !== old && at.model.seats.has(slot.key)) await seat.release(at.model).catch(() => undefined);
  await at.saving;
  if (old && at.makeBeforeBreak && old.proc.alive) {
    slot.model = old;
    slot.contextKey = b.oldKey;
    slot.moveTo(at.moving, "ready");
    return b.event({ outcome: "failed-kept-old", error: message(error), unloadMs: at.unloadMs });
  }
  slot.lastFailure = error;
  if (!old && b.status === "parked" && b.oldIdentity && (!b.sameModel || isBudgetRefusal(error))) {
    // A parked seat keeps its model when another one cannot come in, or when there is no room
    // for it right now: still parked, nothing lost.
    slot.moveTo(at.moving, "parked");
    return b.event({ outcome: "failed-kept-old", error: message(error) });
  }
  slot.model = null;
  slot.identity = identity;
  slot.moveTo(at.moving, "error", `${kind === "load" ? "loading" : "swap to"} ${identity.name} failed: ${message(error)}`);
  return b.event({ outcome: "failed-error", error: message(error), unloadMs: at.unloadMs });
}
