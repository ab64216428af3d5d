/**
 * How a seat's model comes and goes, under the seat's lock: loading or reloading it (a swap from
 * nothing), swapping it, parking it (KV state saved, model unloaded), opening and closing its llama
 * context, and what a dying model process does to the seats it served. The registry owns the seats
 * and their locks; this owns the mechanics, so each stays one concern.
 */
import type { ModelPool, PooledModel } from "./ModelPool.js";
import type { ModelProcessCrashed } from "../worker/ModelProcess.js";
import type { Slot } from "./Slot.js";
import type { BudgetAdmission } from "./budgetAdmission.js";
import type { PerfModel } from "./perfModel.js";
import { isBudgetRefusal, swapSlot, type SwapContext } from "./hotSwap.js";
import { fitHistory } from "./historyFit.js";
import { stateFile, stateKey } from "./kvStates.js";
import { SeatFaultError } from "./seatFault.js";
import { randomUUID } from "node:crypto";
import type { ThreadBalancer } from "./threadBalancer.js";
import { stageSwap } from "./stageSwap.js";
import type { ChatTurn, EngineEvent, ModelIdentity, SeatRef, SwapEvent, SwapKind } from "../../../shared/slots.js";

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
      const r = await model.proc.request({ op: "prefill", key: slot.contextKey, turns: fit.turns });
      slot.contextTokens = r.tokens;
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

  async swap(slot: Slot, request: Parameters<typeof swapSlot>[2], prefetched = false): Promise<SwapEvent> {
    const raw = await swapSlot(this.swapContext(), slot, request);
    const event = prefetched ? { ...raw, prefetched: true } : raw;
    this.deps.pool.warmUpSoon();
    this.deps.emit({ type: "swap", sessionId: slot.sessionId, event });
    return event;
  }

  async parkNow(slot: Slot, _reason: string): Promise<void> {
    if (!slot.model) return;
    await this.saveState(slot).catch(() => undefined);
    await this.detach(slot);
    slot.moveTo("parked");
  }

  async saveState(slot: Slot): Promise<void> {
    const model = slot.model;
    if (!model?.proc.alive || !slot.identity) return;
    const size = slot.requestedContextSize ?? slot.contextSize;
    const file = stateFile(this.deps.stateDir, slot, model.identity, size);
    const r = await model.proc.request({ op: "saveState", key: slot.contextKey, file });
    slot.savedStates.set(stateKey(model.identity, size), { file, tokens: r.tokens });
  }

  private swapContext(): SwapContext {
    return {
      needBytes: async (identity, contextSize) => (await this.deps.admission.need(identity, contextSize)).needed,
      fits: (extraBytes) => this.deps.fits(extraBytes),
      admit: (slot, identity, contextSize, exclude) => this.deps.admission.admit(slot, identity, contextSize, exclude),
      openOn: (slot, model, contextSize) => this.openOn(slot, model, contextSize),
      fitHistory: (slot, model) => fitHistory(slot, model),
      release: (model, seat) => this.deps.pool.release(model, seat),
      closeContext: (model, key) => model.proc.request({ op: "closeContext", key }).then(() => undefined),
      saveState: (slot) => this.saveState(slot),
      savedState: (slot, identity, contextSize) => slot.savedStates.get(stateKey(identity, contextSize)) ?? null,
      detach: (slot) => this.detach(slot),
      perf: this.deps.perf,
      defaultContextSize: this.deps.defaultContextSize,
    };
  }

  /** Opens the seat's context on `model` and records what it measurably cost. */
  async openOn(slot: Slot, model: PooledModel, contextSize: number): Promise<void> {
    const before = await model.proc.request({ op: "stats" });
    const key = slot.nextContextKey();
    try {
      const opened = await model.proc.request({ op: "openContext", key, contextSize, sequences: slot.parallel });
      slot.contextSize = opened.contextSize;
      slot.contextSequences = opened.sequences;
      slot.sequencesKey = key;
      slot.measuredContextBytes = Math.max(0, opened.memory.measuredBytes - before.memory.measuredBytes);
    } catch (error) {
      await this.deps.pool.release(model, slot.key);
      throw error;
    }
    slot.model = model;
    slot.contextKey = key;
    slot.contextTokens = 0;
  }

  /** Closes the seat's context and drops it from its model (ending the process if it was the last). */
  async detach(slot: Slot): Promise<number> {
    const model = slot.model;
    if (!model) return 0;
    slot.model = null;
    slot.contextTokens = 0;
    slot.lanes?.close(`seat ${slot.key} was unloaded`);
    slot.lanes = null;
    slot.measuredContextBytes = null;
    if (model.seats.size > 1) await model.proc.request({ op: "closeContext", key: slot.contextKey }).catch(() => undefined);
    return this.deps.pool.release(model, slot.key);
  }

  async dropStaged(slot: Slot): Promise<void> {
    const staged = slot.staged;
    if (!staged) return;
    slot.staged = null;
    if (staged.model.seats.size > 1) await staged.model.proc.request({ op: "closeContext", key: staged.contextKey }).catch(() => undefined);
    await this.deps.pool.release(staged.model, `${slot.key}~staged`);
  }

  /** A model process died: its seats go to `error` with the reason and keep their history. */
  onCrash(model: PooledModel, error: ModelProcessCrashed): void {
    const seats: SeatRef[] = [];
    for (const slot of this.deps.slots.values()) {
      if (slot.staged?.model === model) slot.staged = null;
      if (slot.model !== model) continue;
      slot.model = null;
      slot.lanes?.close(error.message);
      slot.lanes = null;
      slot.contextTokens = 0;
      slot.moveTo("error", error.message);
      seats.push(slot.ref);
    }
    this.deps.emit({ type: "process-exit", sessionId: null, pid: model.proc.pid, modelPath: model.path, code: error.code, signal: error.signal, seats });
  }
}
