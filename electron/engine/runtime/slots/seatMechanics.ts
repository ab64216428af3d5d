/**
 * How a seat's model comes and goes, under the seat's lock: loading or reloading it (a swap from
 * nothing), swapping it, parking it (KV state saved, model unloaded), and what a dying model
 * process does to the seats it served. The registry owns the seats and their locks; this owns the
 * mechanics, and every process call for a seat goes through its {@link SeatContext}.
 */
import type { ModelPool, PooledModel } from "./ModelPool.js";
import type { ModelProcessCrashed } from "../worker/ModelProcess.js";
import type { Slot } from "./Slot.js";
import type { BudgetAdmission } from "./budgetAdmission.js";
import type { PerfModel } from "./perfModel.js";
import { hotSwap, isBudgetRefusal } from "./hotSwap.js";
import { fitHistory } from "./historyFit.js";
import { SeatContext } from "./seatContext.js";
import { SeatFaultError } from "./seatFault.js";
import { randomUUID } from "node:crypto";
import type { ThreadBalancer } from "./threadBalancer.js";
import { stageSwap } from "./stageSwap.js";
import type { ChatTurn, EngineEvent, ModelIdentity, SeatRef, SwapEvent, SwapKind } from "../../../../shared/slots.js";

/** A swap as the registry asks for it; the context size is resolved here from the seat. */
export interface SeatSwap {
  identity: ModelIdentity;
  kind: SwapKind;
  contextSize?: number;
  exclude?: ReadonlySet<string>;
}

export interface MechanicsDeps {
  pool: ModelPool;
  admission: BudgetAdmission;
  perf: PerfModel;
  stateDir: string;
  defaultContextSize: number;
  slots: ReadonlyMap<string, Slot>;
  emit: (event: EngineEvent) => void;
  fits: (extraBytes: number) => boolean;
  /** Generations and prefills in flight, for thread sharing and abort. */
  active: Map<string, PooledModel>;
  threads: ThreadBalancer;
}

export class SeatMechanics {
  constructor(private readonly deps: MechanicsDeps) {}

  /** The wrapper through which every process call for `slot` goes. */
  seat(slot: Slot): SeatContext {
    return new SeatContext(slot, { pool: this.deps.pool, stateDir: this.deps.stateDir });
  }

  /** Pre-fills a resident seat's context with `turns`, sharing threads with whatever generates. */
  async prefill(slot: Slot, turns: ChatTurn[]): Promise<{ tokens: number; ms: number }> {
    const model = slot.model;
    if (!model) throw new SeatFaultError(slot, slot.error ?? "no loaded model");
    slot.history = [...turns];
    const fit = await fitHistory(slot, model);
    const id = `prefill-${randomUUID()}`;
    this.deps.active.set(id, model);
    await this.deps.threads.rebalance();
    try {
      const r = await this.seat(slot).prefill(model, fit.turns);
      this.deps.perf.recordPrefill(model.identity, r.evaluatedTokens, r.ms);
      slot.changed();
      return { tokens: r.tokens, ms: r.ms };
    } finally {
      this.deps.active.delete(id);
      void this.deps.threads.rebalance();
    }
  }

  /** Stages a swap of `slot` to `identity` if there is (or can be made) room; see stageSwap.ts. */
  async stage(slot: Slot, identity: ModelIdentity, exclude: ReadonlySet<string>): Promise<boolean> {
    if (slot.staged?.identity.fingerprint === identity.fingerprint) return true;
    const contextSize = slot.requestedContextSize ?? (slot.contextSize || this.deps.defaultContextSize);
    const { needed } = await this.deps.admission.need(identity, contextSize);
    const room = this.deps.fits(needed) || this.deps.admission.victims(slot, exclude).length > 0;
    if (!room) return false;
    const { admission, active, threads, perf } = this.deps;
    const staging = stageSwap({ admission, active, threads, perf }, slot, identity, contextSize, exclude);
    slot.staging = staging;
    try {
      return await staging;
    } finally {
      if (slot.staging === staging) slot.staging = null;
    }
  }

  /** Under the seat's lock: loads its assigned model if it is not resident. */
  async residentUnderLock(slot: Slot, exclude: ReadonlySet<string> | undefined, kind: SwapKind, prefetched = false): Promise<SwapEvent | null> {
    if (slot.model && slot.status !== "error") return null;
    if (!slot.identity) throw new Error(`seat ${slot.key} has no model assigned`);
    const event = await this.swap(slot, { identity: slot.identity, kind, exclude: new Set([...(exclude ?? []), slot.key]) }, prefetched);
    if (event.outcome !== "ok") {
      if (isBudgetRefusal(slot.lastFailure)) throw slot.lastFailure;
      throw new SeatFaultError(slot, event.error ?? "reload failed");
    }
    return event;
  }

  /** Runs the swap transaction (hotSwap.ts) on a seat whose lock the caller holds, and reports it. */
  async swap(slot: Slot, request: SeatSwap, prefetched = false): Promise<SwapEvent> {
    const { perf, admission, fits, defaultContextSize } = this.deps;
    const contextSize = request.contextSize ?? slot.requestedContextSize ?? (slot.contextSize || defaultContextSize);
    const raw = await hotSwap({ admission, fits, perf }, this.seat(slot), { identity: request.identity, kind: request.kind, contextSize, exclude: request.exclude ?? new Set() });
    const event = prefetched ? { ...raw, prefetched: true } : raw;
    this.deps.pool.warmUpSoon();
    this.deps.emit({ type: "swap", sessionId: slot.sessionId, event });
    return event;
  }

  async parkNow(slot: Slot, _reason: string): Promise<void> {
    if (!slot.model) return;
    const seat = this.seat(slot);
    await seat.saveState().catch(() => undefined);
    await seat.detach();
    slot.moveTo("ready", "parked");
  }

  /** Closes the seat's context and drops it from its model (ending the process if it was the last). */
  detach(slot: Slot): Promise<number> {
    return this.seat(slot).detach();
  }

  async dropStaged(slot: Slot): Promise<void> {
    const staged = slot.staged;
    if (!staged) return;
    slot.staged = null;
    if (staged.model.seats.size > 1) await this.seat(slot).closeContext(staged.model, staged.contextKey).catch(() => undefined);
    await this.deps.pool.release(staged.model, `${slot.key}~staged`);
  }

  /**
   * A model process died: its seats go to `error` with the reason and keep their history. Each seat
   * is handled under its lock: at once when the lock is free, else after the operation holding it,
   * which has seen the death itself (a swap rolls back, a generation moves its seat) — so no seat
   * changes status behind an operation that awaits on it.
   */
  onCrash(model: PooledModel, error: ModelProcessCrashed): void {
    const served = [...this.deps.slots.values()].filter((slot) => {
      if (slot.staged?.model === model) slot.staged = null;
      return slot.model === model;
    });
    const seats: SeatRef[] = served.map((slot) => slot.ref);
    const handled = served.map((slot) => slot.lock.runWhenFree(() => void slot.loseModel(model, ["ready", "generating"], error.message)));
    // Reported once every seat it served is settled, whoever settled it.
    void Promise.all(handled).then(() => {
      this.deps.emit({ type: "process-exit", sessionId: null, pid: model.proc.pid, modelPath: model.path, code: error.code, signal: error.signal, seats });
    });
  }
}
