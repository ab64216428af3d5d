/**
 * Budget admission: what a load would cost, whether it fits, and which resident seats to park to
 * make room. One admission runs at a time, so two loads racing (a prefetch beside a swap) cannot
 * both pass the same check.
 *
 * What counts, all in the one measure of processMemory.ts: every model process's measured
 * baseline, the warm spare's and the estimate inspector's (a process costs tens of MB before any
 * model), and every process still on its way out (processAccounting.ts); once per file, its weights
 * estimate or its measured load growth (this load's, or the last load's of the same file while it
 * loads) when that is larger (a CPU backend that repacks weights can hold more than the file says); and each
 * resident seat's context estimate or its measured growth, whichever is larger. A new file also
 * costs the process that replaces the spare it takes.
 *
 * Who may be parked, in order:
 * 1. with the `evict-lru` policy, idle seats of other sessions that are not pinned (by the user or
 *    by their running session), least recently used first;
 * 2. idle seats of the loading seat's own session, in the order its residency plan gives (the seat
 *    needed furthest in the future first) — this is rotation, and it needs no policy.
 * A seat that is generating, loading, swapping or busy with another operation is never touched.
 * A model that alone exceeds the budget is refused before anything is parked.
 */
import type { ModelPool, PooledModel } from "./ModelPool.js";
import type { Slot } from "./Slot.js";
import { BudgetExceededError, formatBytes, type Budget } from "./memoryBudget.js";
import { Mutex } from "./mutex.js";
import { admittedWeights, fitsBudget, grownWeights, measuredExcess, type CountedProcess } from "./processAccounting.js";
import { measureProcess } from "../worker/processMemory.js";
import type { MemoryEstimate } from "../worker/protocol.js";
import type { ModelIdentity } from "../../../../shared/slots.js";

export type EvictionPolicy = "refuse" | "evict-lru";

export interface AdmissionDeps {
  pool: ModelPool;
  slots: ReadonlyMap<string, Slot>;
  budget: () => Budget;
  eviction: () => EvictionPolicy;
  defaultContextSize: number;
  /** Saves the seat's KV state and unloads it, leaving it `parked`; runs under the seat's lock. */
  park: (slot: Slot, reason: string) => Promise<void>;
  /** The session's preferred order of its own seats to park (furthest next use first). */
  ownOrder: (sessionId: string, seats: Slot[]) => Slot[];
}

/** What a load costs and how. */
export interface Need {
  estimate: MemoryEstimate;
  /** Weights + vocabulary + runtime of the file (counted once per file). */
  weights: number;
  /** Bytes the budget must find for this load now. */
  needed: number;
}

/** A model that can never fit, whatever is evicted: refused before anything is touched. */
export class TooLargeError extends Error {
  readonly code = "over-budget-alone";
  constructor(role: string, model: string, needed: number, reserved: number, budget: number) {
    super(
      `${model} cannot run in '${role}': alone it needs about ${formatBytes(needed)}` +
        (reserved > 0 ? ` plus ${formatBytes(reserved)} for the warm spare and estimate inspector processes` : "") +
        `, more than the whole ${formatBytes(budget)} budget. Nothing was evicted. Choose a smaller quantization or context, or raise the budget.`,
    );
    this.name = "TooLargeError";
  }
}

/**
 * What the budget counts as in use, from the pool's process baselines, each loaded file's weights
 * (estimate, or measured growth when larger) and each open context (likewise). Kept apart from
 * {@link BudgetAdmission} so the rule can be checked with given measurements.
 */
export function inUseFrom(
  baselineBytes: number,
  files: readonly { estimatedWeightsBytes: number; measuredWeightsBytes: number }[],
  contexts: readonly { estimateBytes: number; measuredBytes: number | null }[],
): number {
  let total = baselineBytes;
  for (const f of files) total += Math.max(f.estimatedWeightsBytes, f.measuredWeightsBytes);
  for (const c of contexts) total += Math.max(c.estimateBytes, c.measuredBytes ?? 0);
  return total;
}

export class BudgetAdmission {
  private readonly mutex = new Mutex();

  constructor(private readonly deps: AdmissionDeps) {}

  /** Bytes the budget counts as used now (see the header). */
  inUseBytes(): number {
    return inUseFrom(
      this.deps.pool.baselineBytes(),
      [...this.deps.pool.models.values()],
      [...this.deps.slots.values()].flatMap((s) => [
        ...(s.model ? [{ estimateBytes: s.contextEstimateBytes, measuredBytes: s.measuredContextBytes }] : []),
        ...(s.staged ? [{ estimateBytes: s.staged.contextEstimateBytes, measuredBytes: null }] : []),
      ]),
    );
  }

  /**
   * Each model process's count (its baseline, its file's weights and its seats' contexts, as
   * {@link inUseBytes} counts them) beside what it measures now; the spare and the inspector beside
   * a baseline. Measured afresh at each admission: a process grows as it generates.
   */
  async countedProcesses(): Promise<CountedProcess[]> {
    const measure = (pid: number) => measureProcess(pid).then((m) => m.measuredBytes, () => null);
    const contexts = new Map<PooledModel, number>();
    for (const s of this.deps.slots.values()) {
      if (s.model) contexts.set(s.model, (contexts.get(s.model) ?? 0) + Math.max(s.contextEstimateBytes, s.measuredContextBytes ?? 0));
      if (s.staged) contexts.set(s.staged.model, (contexts.get(s.staged.model) ?? 0) + s.staged.contextEstimateBytes);
    }
    const out: CountedProcess[] = [];
    for (const model of this.deps.pool.models.values()) {
      const counted = model.proc.baselineBytes + Math.max(model.estimatedWeightsBytes, model.measuredWeightsBytes) + (contexts.get(model) ?? 0);
      const measured = await measure(model.proc.pid);
      if (measured !== null) this.deps.pool.noteGrowth(model.path, grownWeights(measured, model.proc.baselineBytes, contexts.get(model) ?? 0));
      out.push({ countedBytes: counted, measuredBytes: measured });
    }
    for (const idle of this.deps.pool.idleProcesses()) out.push({ countedBytes: idle.countedBytes, measuredBytes: await measure(idle.pid) });
    return out;
  }

  /** What loading `identity` with a context would add now (weights and a process only if no seat has the file). */
  async need(identity: ModelIdentity, contextSize: number | undefined, sequences = 1): Promise<Need> {
    const estimate = await this.deps.pool.estimate(identity, contextSize ?? this.deps.defaultContextSize, sequences);
    const weights = admittedWeights(estimate.weightsBytes + estimate.vocabBytes + estimate.runtimeBytes, this.deps.pool.lastMeasuredWeights(identity.path));
    const loaded = this.deps.pool.models.has(identity.path);
    return { estimate, weights, needed: (loaded ? 0 : weights + this.deps.pool.processBaselineBytes) + estimate.contextBytes };
  }

  /** Bytes the budget always holds back: the estimate inspector's process and the warm spare's. */
  reservedBytes(): number {
    return this.deps.pool.processBaselineBytes * (this.deps.pool.warmSpare ? 2 : 1);
  }

  /**
   * Makes room for `slot`'s load of `identity` (parking seats as the header says) and returns the
   * loaded model. `exclude` names seats that must stay (the seat about to speak).
   */
  async admit(slot: Slot, identity: ModelIdentity, contextSize: number | undefined, exclude: ReadonlySet<string> = new Set()): Promise<PooledModel> {
    const { model, contextBytes } = await this.admitFor(slot, slot.key, identity, contextSize, exclude, (p) => slot.setProgress(p), slot.parallel);
    slot.contextEstimateBytes = contextBytes;
    return model;
  }

  /**
   * {@link admit} for a context that is not the seat's own yet (a staged swap): the model is held
   * under `key`, and the caller keeps the context's estimate where {@link inUseBytes} counts it.
   */
  async admitFor(
    slot: Slot,
    key: string,
    identity: ModelIdentity,
    contextSize: number | undefined,
    exclude: ReadonlySet<string>,
    onProgress?: (p: number) => void,
    sequences = 1,
  ): Promise<{ model: PooledModel; contextBytes: number }> {
    return this.mutex.run(async () => {
      const need = await this.need(identity, contextSize, sequences);
      const followsParking = await this.makeRoom(slot, identity.name, need.needed, exclude);
      const model = await this.deps.pool.acquire(identity, key, need.weights, { followsParking, ...(onProgress ? { onProgress } : {}) });
      return { model, contextBytes: need.estimate.contextBytes };
    });
  }

  /** Gives back a model held under `key` by {@link admitFor}. */
  async releaseFor(model: PooledModel, key: string): Promise<void> {
    await this.deps.pool.release(model, key);
  }

  /** Checks (and makes) room for `bytes` more without loading anything (parallel sequences). */
  async reserve(slot: Slot, what: string, bytes: number): Promise<void> {
    await this.mutex.run(() => this.makeRoom(slot, what, bytes, new Set()));
  }

  /** Parks seats until `needed` more bytes fit; true when it had to park any. */
  private async makeRoom(slot: Slot, what: string, needed: number, exclude: ReadonlySet<string>): Promise<boolean> {
    const budget = this.deps.budget().bytes;
    const reserved = this.reservedBytes();
    if (needed + reserved > budget) throw new TooLargeError(slot.role, what, needed, reserved, budget);
    // The counts, plus what the processes measure beyond them now (measured again after each park).
    const fits = async () => fitsBudget(this.inUseBytes() + measuredExcess(await this.countedProcesses()), needed, budget);
    if (await fits()) return false;
    // Processes on their way out give their memory back by themselves: wait for them before parking.
    await this.deps.pool.departed();
    if (await fits()) return false;
    for (const victim of this.victims(slot, exclude)) {
      if (await fits()) break;
      // Never wait for a seat that is busy: its operation may itself be waiting for this admission.
      if (victim.lock.busy || victim.status !== "ready") continue;
      await victim.lock.run(async () => {
        if (victim.status === "ready" && victim.model) {
          await this.deps.park(victim, `parked to make room for ${what} in '${slot.role}'`);
        }
      });
    }
    // What parking let go of may still be on its way out (a superseded spare finishing its start).
    if (!(await fits())) await this.deps.pool.departed();
    if (!(await fits())) {
      throw new BudgetExceededError(slot.role, what, needed, this.inUseBytes(), budget, this.parkable(slot, exclude).map((s) => s.key));
    }
    return true;
  }

  /** Seats that could be parked for `slot`, in the order they would be. */
  victims(slot: Slot, exclude: ReadonlySet<string>): Slot[] {
    const idle = (s: Slot) => s !== slot && !exclude.has(s.key) && s.model !== null && s.status === "ready" && !s.pinned;
    const others =
      this.deps.eviction() === "evict-lru"
        ? [...this.deps.slots.values()]
            .filter((s) => idle(s) && s.sessionId !== slot.sessionId && !s.sessionPinned)
            .sort((a, b) => a.lastUsedAt - b.lastUsedAt)
        : [];
    const own = slot.sessionId === null ? [] : [...this.deps.slots.values()].filter((s) => idle(s) && s.sessionId === slot.sessionId);
    return [...others, ...(own.length > 0 && slot.sessionId !== null ? this.deps.ownOrder(slot.sessionId, own) : [])];
  }

  /** Idle seats that a policy change would let the engine park (named in the refusal). */
  private parkable(slot: Slot, exclude: ReadonlySet<string>): Slot[] {
    return [...this.deps.slots.values()].filter((s) => s !== slot && !exclude.has(s.key) && s.model && s.status === "ready" && !s.pinned && !s.sessionPinned);
  }
}
