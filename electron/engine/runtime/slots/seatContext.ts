/**
 * One seat's calls into its model processes, in one place: opening its llama context on a model,
 * restoring a saved KV state, pre-filling, saving the state, closing a context and letting go of a
 * model. The swap transaction (hotSwap.ts), parking and prefetching all go through this wrapper, so
 * what a process is asked for a seat, and what the seat records of the answer, is written once.
 */
import type { ModelPool, PooledModel } from "./ModelPool.js";
import type { SavedState, Slot, StagedSwap } from "./Slot.js";
import { fitHistory, type FittedHistory } from "./historyFit.js";
import { stateFile, stateKey } from "./kvStates.js";
import type { ChatTurn, ModelIdentity } from "../../../../shared/slots.js";

/** What the wrapper needs besides the seat: the pool that owns the processes, and where states go. */
export interface SeatContextDeps {
  pool: ModelPool;
  stateDir: string;
}

/** A pre-fill's answer: tokens now in the context, of which `evaluatedTokens` were computed. */
export interface PrefillResult {
  tokens: number;
  evaluatedTokens: number;
  ms: number;
}

export class SeatContext {
  constructor(
    readonly slot: Slot,
    private readonly deps: SeatContextDeps,
  ) {}

  /** Saves the seat's current KV state (when its process is alive) for a later return to that model. */
  async saveState(): Promise<void> {
    const slot = this.slot;
    const model = slot.model;
    if (!model?.proc.alive || !slot.identity) return;
    const size = slot.requestedContextSize ?? slot.contextSize;
    const file = stateFile(this.deps.stateDir, slot, model.identity, size);
    const r = await model.proc.request({ op: "saveState", key: slot.contextKey, file });
    slot.savedStates.set(stateKey(model.identity, size), { file, tokens: r.tokens });
  }

  /** The saved state for this model and context size, if any. */
  savedState(identity: ModelIdentity, contextSize: number): SavedState | null {
    return this.slot.savedStates.get(stateKey(identity, contextSize)) ?? null;
  }

  /**
   * Opens the seat's context on `model` (which holds the seat already) and records what it
   * measurably cost. If the context cannot open, the seat's hold on `model` is given back.
   */
  async open(model: PooledModel, contextSize: number): Promise<void> {
    const slot = this.slot;
    const before = await model.proc.request({ op: "stats" });
    const key = slot.nextContextKey();
    try {
      const opened = await model.proc.request({ op: "openContext", key, contextSize, sequences: slot.parallel });
      slot.contextSize = opened.contextSize;
      slot.contextSequences = opened.sequences;
      slot.sequencesKey = key;
      slot.measuredContextBytes = Math.max(0, opened.memory.measuredBytes - before.memory.measuredBytes);
    } catch (error) {
      if (model !== slot.model) await this.deps.pool.release(model, slot.key);
      throw error;
    }
    slot.model = model;
    slot.contextKey = key;
    slot.contextTokens = 0;
  }

  /** Makes a staged swap's model and context the seat's own. */
  adopt(staged: StagedSwap): void {
    const slot = this.slot;
    staged.model.seats.delete(`${slot.key}~staged`);
    staged.model.seats.add(slot.key);
    slot.model = staged.model;
    slot.contextKey = staged.contextKey;
    slot.contextSize = staged.contextSize;
    slot.contextEstimateBytes = staged.contextEstimateBytes;
  }

  /** The seat's history as it fits the context open on `model`. */
  fit(model: PooledModel): Promise<FittedHistory> {
    return fitHistory(this.slot, model);
  }

  /** Restores a saved KV state into the seat's context; false when it could not be used. */
  restore(model: PooledModel, saved: SavedState): Promise<boolean> {
    return model.proc.request({ op: "loadState", key: this.slot.contextKey, file: saved.file }).then(
      (r) => r.tokens > 0,
      () => false,
    );
  }

  /** Pre-fills the seat's context with `turns` (the runtime reuses a matching prefix). */
  async prefill(model: PooledModel, turns: ChatTurn[]): Promise<PrefillResult> {
    const r = await model.proc.request({ op: "prefill", key: this.slot.contextKey, turns });
    this.slot.contextTokens = r.tokens;
    return { tokens: r.tokens, evaluatedTokens: r.evaluatedTokens, ms: r.ms };
  }

  /** Closes one context of the seat's on `model` (one it held before a swap, say). */
  async closeContext(model: PooledModel, key: string): Promise<void> {
    await model.proc.request({ op: "closeContext", key });
  }

  /** Drops the seat from `model`; the last seat out unloads it. Returns the ms it took. */
  release(model: PooledModel): Promise<number> {
    return this.deps.pool.release(model, this.slot.key);
  }

  /** Closes the seat's context and drops it from its model (ending the process if it was the last). */
  async detach(): Promise<number> {
    const slot = this.slot;
    const model = slot.model;
    if (!model) return 0;
    slot.model = null;
    slot.contextTokens = 0;
    slot.lanes?.close(`seat ${slot.key} was unloaded`);
    slot.lanes = null;
    slot.measuredContextBytes = null;
    if (model.seats.size > 1) await this.closeContext(model, slot.contextKey).catch(() => undefined);
    return this.release(model);
  }
}
