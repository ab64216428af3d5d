/**
 * Budget admission: what a load would cost, whether it fits, and which idle slots to evict
 * (least recently used first, never pinned or busy ones) when the policy allows eviction.
 */
import type { ModelPool, PooledModel } from "./ModelPool.js";
import type { Slot } from "./Slot.js";
import { BudgetExceededError, type Budget } from "./memoryBudget.js";
import type { ModelIdentity } from "../../../shared/slots.js";

export interface AdmissionDeps {
  pool: ModelPool;
  slots: ReadonlyMap<string, Slot>;
  budget: () => Budget;
  eviction: () => "refuse" | "evict-lru";
  defaultContextSize: number;
  detach: (slot: Slot) => Promise<number>;
  emitSlot: (slot: Slot) => void;
}

export class BudgetAdmission {
  constructor(private readonly deps: AdmissionDeps) {}

  /** Bytes the budget counts as used: weights once per file plus every slot's context. */
  inUseBytes(): number {
    let total = 0;
    for (const m of this.deps.pool.models.values()) total += m.estimatedWeightsBytes;
    for (const s of this.deps.slots.values()) if (s.model) total += s.contextEstimateBytes;
    return total;
  }

  /** Bytes loading `identity` into `slot` would add (weights only if no role has the file yet). */
  async neededBytes(identity: ModelIdentity, contextSize: number | undefined, sequences = 1) {
    const estimate = await this.deps.pool.estimate(identity.path, contextSize ?? this.deps.defaultContextSize, sequences);
    const weights = estimate.weightsBytes + estimate.vocabBytes + estimate.runtimeBytes;
    return { estimate, weights, needed: (this.deps.pool.models.has(identity.path) ? 0 : weights) + estimate.contextBytes };
  }

  /**
   * Checks the budget for `identity` (evicting idle unpinned slots, least recently used first, if
   * the policy allows) and returns the loaded model, loading it if no role uses the file yet.
   */
  async admit(slot: Slot, identity: ModelIdentity, contextSize: number | undefined): Promise<PooledModel> {
    const { estimate, weights, needed } = await this.neededBytes(identity, contextSize);
    const fits = () => this.inUseBytes() + needed <= this.deps.budget().bytes;
    const candidates = () =>
      [...this.deps.slots.values()]
        .filter((s) => s !== slot && s.model && s.status === "ready" && !s.pinned)
        .sort((a, b) => a.lastUsedAt - b.lastUsedAt);
    if (!fits() && this.deps.eviction() === "evict-lru") {
      for (const victim of candidates()) {
        if (fits()) break;
        await victim.lock.run(() => this.deps.detach(victim));
        victim.status = "empty";
        victim.error = `evicted (least recently used) to make room for ${identity.name} in '${slot.role}'`;
        this.deps.emitSlot(victim);
      }
    }
    if (!fits()) {
      throw new BudgetExceededError(slot.role, identity.name, needed, this.inUseBytes(), this.deps.budget().bytes, candidates().map((s) => s.role));
    }
    slot.contextEstimateBytes = estimate.contextBytes;
    return this.deps.pool.acquire(identity, slot.role, weights, (p) => {
      slot.progress = p;
      this.deps.emitSlot(slot);
    });
  }

}
