/**
 * Seats over supervised model processes. A seat is (session, role): concurrent sessions with the
 * same role names never touch each other's seats, while seats on the same file share one model
 * process (ref-counted), each with its own llama context. The registry seats, loads, parks,
 * hot-swaps, generates, prefetches and reports memory; the session runner, the backends and the
 * host all go through it.
 */
import { rmSync } from "node:fs";
import type { MemoryEstimate } from "../../../../shared/memoryEstimate.js";
import { Emitter } from "../../../../shared/emitter.js";
import { ModelPool, type PooledModel } from "./ModelPool.js";
import type { ModelResolver, SeatOptions, SlotRegistryOptions } from "./registryOptions.js";
import { Slot } from "./Slot.js";
import { defaultBudget, type Budget } from "./memoryBudget.js";
import { BudgetAdmission, type EvictionPolicy } from "./budgetAdmission.js";

import { buildMemoryReport } from "./memoryReport.js";
import { sampleParallel } from "./parallelSampling.js";
import { ThreadBalancer } from "./threadBalancer.js";
import { PerfModel } from "./perfModel.js";
import { claimStateDir, stateKey } from "./kvStates.js";
import { generateOnSeat, type GenerateOptions } from "./seatGeneration.js";
import { seatTurnOnLane, serveOnLane, servesConcurrently, type ServeOptions } from "./servedGeneration.js";
import { SeatFaultError } from "./seatFault.js";
import { unreadableSwap } from "./unreadableSwap.js";
import { SeatMechanics } from "./seatMechanics.js";
import {
  LoadOptions,
  SamplingParams,
  SeatRef,
  seatKey,
  type ChatTurn,
  type EngineEvent,
  type GenerationResult,
  type MemoryReport,
  type ModelIdentity,
  type SamplingInput,
  type SlotInfo,
  type SwapEvent,
  type SwapKind,
} from "../../../../shared/slots.js";

export type { GenerateOptions } from "./seatGeneration.js";
export type { ServeOptions } from "./servedGeneration.js";
export type { ModelResolver, SeatOptions, SlotRegistryOptions } from "./registryOptions.js";

export class SlotRegistry {
  private readonly slots = new Map<string, Slot>();
  private readonly pool: ModelPool;
  private readonly events = new Emitter<EngineEvent>();
  private readonly resolver: ModelResolver;
  private readonly defaultContextSize: number;
  private readonly stateDir: string;
  /** Generations and prefills in flight, by id: thread sharing and abort see them. */
  private readonly active = new Map<string, PooledModel>();
  private readonly threads: ThreadBalancer;
  private readonly admission: BudgetAdmission;
  private readonly orders = new Map<string, (seats: Slot[]) => Slot[]>();
  private readonly mech: SeatMechanics;
  readonly perf = new PerfModel();
  budget: Budget;
  eviction: EvictionPolicy;

  constructor(options: SlotRegistryOptions) {
    this.pool = new ModelPool(options);
    this.resolver = options.resolver;
    this.budget = options.budgetBytes ? { bytes: options.budgetBytes, rule: "set by configuration" } : defaultBudget();
    this.eviction = options.eviction ?? "refuse";
    this.defaultContextSize = options.defaultContextSize ?? 4096;
    this.stateDir = claimStateDir(options.stateRoot);
    this.threads = new ThreadBalancer(this.active, () => this.pool.threads);
    this.admission = new BudgetAdmission({
      pool: this.pool,
      slots: this.slots,
      budget: () => this.budget,
      eviction: () => this.eviction,
      defaultContextSize: this.defaultContextSize,
      park: (slot, reason) => this.mech.parkNow(slot, reason),
      ownOrder: (sessionId, seats) => this.orders.get(sessionId)?.(seats) ?? [...seats].sort((a, b) => a.lastUsedAt - b.lastUsedAt),
    });
    this.mech = new SeatMechanics({
      pool: this.pool,
      admission: this.admission,
      perf: this.perf,
      stateDir: this.stateDir,
      defaultContextSize: this.defaultContextSize,
      slots: this.slots,
      emit: (e) => this.emit(e),
      fits: (extra) => this.admission.inUseBytes() + extra <= this.budget.bytes,
      active: this.active,
      threads: this.threads,
    });
    this.pool.onCrash((model, error) => this.mech.onCrash(model, error));
    this.pool.warmUp();
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    return this.events.on(listener);
  }

  /** Every seat, or one session's seats (null: the lab's). */
  list(sessionId?: string | null): SlotInfo[] {
    return [...this.slots.values()].filter((s) => sessionId === undefined || s.sessionId === sessionId).map((s) => this.infoOf(s));
  }

  get(ref: SeatRef): SlotInfo | null {
    const slot = this.slots.get(seatKey(ref));
    return slot ? this.infoOf(slot) : null;
  }

  getHistory(ref: SeatRef): ChatTurn[] {
    return [...(this.slots.get(seatKey(ref))?.history ?? [])];
  }

  setHistory(ref: SeatRef, turns: ChatTurn[]): void {
    this.slotFor(ref).history = [...turns];
  }

  /** The user's pin: the seat is never parked for another load and never released with its session. */
  setPinned(ref: SeatRef, pinned: boolean): SlotInfo {
    const slot = this.mustGet(ref);
    slot.pinned = pinned;
    slot.changed();
    return this.infoOf(slot);
  }

  /** While a session runs, its seats are pinned against other sessions and hand loads. */
  setSessionPinned(sessionId: string, pinned: boolean): void {
    for (const s of this.slots.values()) {
      if (s.sessionId !== sessionId || s.sessionPinned === pinned) continue;
      s.sessionPinned = pinned;
      s.changed();
    }
  }

  /** The residency plan's order for parking a session's own seats (furthest next use first). */
  setResidencyOrder(sessionId: string, order: ((seats: Slot[]) => Slot[]) | null): void {
    if (order) this.orders.set(sessionId, order);
    else this.orders.delete(sessionId);
  }

  /**
   * Assigns a model to a seat without loading it (`parked`): the seat loads when it is first
   * needed. Options (system prompt, sampling, context size) apply as with {@link load}.
   */
  async seat(ref: SeatRef, modelRef: string, options: LoadOptions = {}): Promise<SlotInfo> {
    SeatRef.parse(ref);
    const opts = LoadOptions.parse(options);
    const identity = await this.identify(modelRef);
    const slot = this.slotFor(ref);
    return slot.lock.run(async () => {
      this.applyOptions(slot, opts);
      if (slot.model) throw new Error(`seat ${slot.key} is already loaded; swap it instead`);
      slot.identity = identity;
      slot.requestedContextSize = opts.contextSize ?? null;
      if (slot.status !== "parked") slot.moveTo(["empty", "error"], "parked");
      return this.infoOf(slot);
    });
  }

  /**
   * Puts a model in a seat, deciding from the seat's actual state under its lock: a seat with no
   * model loads it, a resident, parked or failed seat with another model swaps (keeping its
   * history). Options (system prompt, sampling, context size, pin, parallel) are validated here,
   * once, and apply to the seat first. A failed first load of a new seat removes the seat again,
   * so no dead seat is left behind. Resolves with the swap event when the model is in; rejects
   * with the reason otherwise (the seat is then as the event says: old model kept, or `error`).
   */
  async assign(ref: SeatRef, modelRef: string, options: SeatOptions = {}): Promise<SwapEvent> {
    const opts = LoadOptions.parse(options);
    const isNew = !this.slots.has(seatKey(ref));
    const slot = this.slotFor(ref);
    let identity: ModelIdentity;
    try {
      identity = await this.identify(modelRef);
    } catch (error) {
      if (isNew) this.drop(slot);
      // A file that cannot even be read changes nothing: a seat with a model keeps it.
      else if (slot.identity) this.emit({ type: "swap", sessionId: slot.sessionId, event: unreadableSwap(slot, modelRef, "manual", error) });
      throw error;
    }
    const event = await slot.lock.run(async () => {
      await slot.staging;
      this.applyOptions(slot, opts);
      const reassigned = slot.identity !== null && slot.identity.fingerprint !== identity.fingerprint;
      const kind: SwapKind = slot.model || reassigned ? "manual" : "load";
      return this.mech.swap(slot, { identity, kind, ...(opts.contextSize !== undefined ? { contextSize: opts.contextSize } : {}), ...(options.exclude ? { exclude: options.exclude } : {}) });
    });
    if (event.outcome !== "ok") {
      if (isNew && slot.history.every((t) => t.role === "system")) await this.remove(ref);
      throw new Error(event.error ?? "load failed");
    }
    return event;
  }

  /** {@link assign}, answering with the seat's info (the CLI, the compatible API and tests use it). */
  async load(ref: SeatRef, modelRef: string, options: SeatOptions = {}): Promise<SlotInfo> {
    await this.assign(ref, modelRef, options);
    return this.infoOf(this.mustGet(ref));
  }

  /**
   * Makes a seat's assigned model resident again (after rotation parked it, or the first time it
   * is needed). Returns the load's event, or null when the seat was already resident.
   */
  async ensureResident(ref: SeatRef, options: { exclude?: ReadonlySet<string>; kind?: SwapKind } = {}): Promise<SwapEvent | null> {
    const slot = this.mustGet(ref);
    return slot.lock.run(() => this.mech.residentUnderLock(slot, options.exclude, options.kind ?? "rotation"));
  }

  /** Saves a resident seat's KV state and unloads it; the seat stays assigned (`parked`). */
  async park(ref: SeatRef, reason = "parked"): Promise<void> {
    const slot = this.mustGet(ref);
    await slot.lock.run(() => this.mech.parkNow(slot, reason));
  }

  /**
   * What loading `modelRef` would add to the budget (weights, context, and a process when no seat
   * has the file yet), without loading anything.
   */
  async estimate(modelRef: string, options: LoadOptions = {}): Promise<{ estimateBytes: number; budgetBytes: number; inUseBytes: number; identity: ModelIdentity }> {
    const identity = await this.identify(modelRef);
    const opts = LoadOptions.parse(options);
    const { needed } = await this.admission.need(identity, opts.contextSize, opts.parallel ?? 1);
    return { estimateBytes: needed, budgetBytes: this.budget.bytes, inUseBytes: this.admission.inUseBytes(), identity };
  }

  /**
   * A seat of `modelRef` on its own, in the parts every view shows (shared/memoryEstimate.ts):
   * weights, the KV cache of `contextSize` (the default when absent), and a model process.
   */
  async memoryEstimate(modelRef: string, contextSize?: number): Promise<MemoryEstimate> {
    const need = await this.seatNeed(await this.identify(modelRef), contextSize);
    return { weightsBytes: need.weights, contextBytes: need.context, processBytes: need.process };
  }

  /** What a seat costs the budget when it is the first user of its file (planning). */
  async seatNeed(identity: ModelIdentity, contextSize: number | undefined): Promise<{ weights: number; context: number; process: number }> {
    const need = await this.admission.need(identity, contextSize);
    return { weights: need.weights, context: need.estimate.contextBytes, process: this.pool.processBaselineBytes };
  }

  /** Tokens a saved KV state of `identity` would spare the seat from re-evaluating (0 when none). */
  savedTokens(ref: SeatRef, identity: ModelIdentity, contextSize?: number): number {
    const slot = this.slots.get(seatKey(ref));
    if (!slot) return 0;
    const size = contextSize ?? slot.requestedContextSize ?? (slot.contextSize || this.defaultContextSize);
    return slot.savedStates.get(stateKey(identity, size))?.tokens ?? 0;
  }

  /** Budget bytes in use now, and the share held back for the warm spare. */
  usage(): { inUseBytes: number; reservedBytes: number; budgetBytes: number } {
    return { inUseBytes: this.admission.inUseBytes(), reservedBytes: this.admission.reservedBytes(), budgetBytes: this.budget.bytes };
  }

  /** Unloads a seat; its history stays, so loading it again restores the conversation. */
  async unload(ref: SeatRef): Promise<void> {
    const slot = this.slots.get(seatKey(ref));
    if (!slot) return;
    await slot.lock.run(async () => {
      await slot.staging;
      await this.mech.detach(slot);
      await this.mech.dropStaged(slot);
      if (slot.status !== "empty") slot.moveTo(["ready", "parked", "error"], "empty");
    });
  }

  /** Removes a seat altogether. */
  async remove(ref: SeatRef): Promise<void> {
    const slot = this.slots.get(seatKey(ref));
    if (!slot) return;
    await this.unload(ref);
    this.drop(slot);
  }

  /** Removes every seat of a session that the user has not pinned (the session has ended). */
  async releaseSession(sessionId: string): Promise<string[]> {
    const gone = [...this.slots.values()].filter((s) => s.sessionId === sessionId && !s.pinned);
    await Promise.all(gone.map((s) => this.remove(s.ref)));
    this.orders.delete(sessionId);
    return gone.map((s) => s.role);
  }

  /**
   * Moves a seated seat to another model with its whole history (see hotSwap.ts for the policy),
   * answering with the event whatever the outcome: a scheduled swap in a session, and tests, read
   * failures from it. The UI and the API go through {@link assign}.
   */
  async hotSwap(ref: SeatRef, modelRef: string, options: SeatOptions = {}, kind: SwapKind = "manual"): Promise<SwapEvent> {
    const opts = LoadOptions.parse(options);
    const slot = this.mustGet(ref);
    let identity: ModelIdentity;
    try {
      identity = await this.identify(modelRef);
    } catch (error) {
      // A file that cannot even be read changes nothing: the seat keeps what it has.
      const event = unreadableSwap(slot, modelRef, kind, error);
      this.emit({ type: "swap", sessionId: slot.sessionId, event });
      return event;
    }
    return slot.lock.run(async () => {
      await slot.staging;
      return this.mech.swap(slot, { identity, kind, ...(opts.contextSize !== undefined ? { contextSize: opts.contextSize } : {}), ...(options.exclude ? { exclude: options.exclude } : {}) });
    });
  }

  /**
   * Prepares a swap ahead of its turn: loads `modelRef` beside the seat's current model (only if it
   * fits, parking nothing the caller excludes) and pre-fills it with the seat's history. The swap
   * itself ({@link hotSwap}) then only evaluates the turns added since. Returns false when there is
   * no room; the swap then happens cold.
   */
  async stage(ref: SeatRef, modelRef: string, options: { exclude?: ReadonlySet<string> } = {}): Promise<boolean> {
    const slot = this.mustGet(ref);
    return this.mech.stage(slot, await this.identify(modelRef), new Set([...(options.exclude ?? []), slot.key]));
  }

  /** Generates the seat's next turn, streaming tokens, and appends it to the seat's history. */
  async generate(ref: SeatRef, options: GenerateOptions = {}): Promise<GenerationResult> {
    const slot = this.mustGet(ref);
    const askedAt = options.askedAt ?? performance.now();
    return slot.lock.run(async () => {
      // A parked seat comes back on its own; a seat whose process died is the caller's to handle.
      if (slot.status === "parked") await this.mech.residentUnderLock(slot, new Set([slot.key]), "rotation");
      const deps = { active: this.active, threads: this.threads, emit: (e: EngineEvent) => this.emit(e), onFirstToken: () => this.pool.firstToken() };
      if (servesConcurrently(slot)) return seatTurnOnLane(deps, slot, options);
      return generateOnSeat(deps, slot, { ...options, askedAt });
    });
  }

  /**
   * Serves one stateless request on a free sequence of the seat's context (see
   * servedGeneration.ts): concurrent calls run batched, up to the seat's `parallel` at once, and
   * wait for a sequence beyond that. The seat's history is not touched.
   */
  async serve(ref: SeatRef, options: ServeOptions): Promise<GenerationResult> {
    const slot = this.mustGet(ref);
    // Only bringing the seat back needs the lock; the generation itself runs beside the others.
    await slot.lock.run(async () => {
      if (slot.status === "parked" || (slot.status === "error" && slot.identity)) await this.mech.residentUnderLock(slot, new Set([slot.key]), "rotation");
    });
    return serveOnLane({ active: this.active, threads: this.threads, emit: (e: EngineEvent) => this.emit(e), onFirstToken: () => this.pool.firstToken() }, slot, options);
  }

  /**
   * Samples `prompts.length` completions from the seat's model at once, on parallel sequences of
   * one temporary context (batched decoding): the same-budget baseline of a committee. The seat's
   * own history and context are left untouched.
   */
  async sampleParallel(ref: SeatRef, prompts: ChatTurn[][], sampling: Partial<SamplingInput> = {}): Promise<GenerationResult[]> {
    const slot = this.mustGet(ref);
    if (slot.status === "parked") await this.ensureResident(ref, { kind: "rotation" });
    if (!slot.model) throw new SeatFaultError(slot, slot.error ?? "no loaded model");
    return sampleParallel({ slot, model: slot.model, admission: this.admission, active: this.active, defaultContextSize: this.defaultContextSize }, prompts, sampling);
  }

  /** Stops a generation; the partial text is kept as the turn. */
  async abort(generationId: string): Promise<boolean> {
    const model = this.active.get(generationId);
    if (!model) return false;
    const r = await model.proc.request({ op: "abort", generationId });
    return r.found;
  }

  /**
   * Pre-fills a seat's context with `turns` (its view of the conversation so far) while other seats
   * generate, loading its model first when it is parked, so its next turn starts from a warm KV
   * cache. Threads are shared with the generating processes while it runs.
   */
  async prefetch(ref: SeatRef, turns: ChatTurn[], options: { exclude?: ReadonlySet<string> } = {}): Promise<{ tokens: number; ms: number; loaded: SwapEvent | null }> {
    const slot = this.mustGet(ref);
    return slot.lock.run(async () => {
      const loaded = await this.mech.residentUnderLock(slot, new Set([...(options.exclude ?? []), slot.key]), "rotation", true);
      return { ...(await this.mech.prefill(slot, turns)), loaded };
    });
  }

  /** Estimates and live measurements for every model process, beside the budget. */
  async memory(): Promise<MemoryReport> {
    const report = await buildMemoryReport(this.pool, this.slots, this.budget, this.admission.inUseBytes());
    this.emit({ type: "memory", sessionId: null, report });
    return report;
  }

  /** Resolves once a warm model process is standing by, so the next load or swap starts at once. */
  ready(): Promise<void> {
    return this.pool.ready();
  }

  /** Ends every model process and removes this engine's saved states. */
  async dispose(): Promise<void> {
    await this.pool.dispose();
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  // ----- internals -----

  private applyOptions(slot: Slot, opts: LoadOptions): void {
    if (opts.pinned !== undefined) slot.pinned = opts.pinned;
    if (opts.parallel !== undefined) slot.parallel = opts.parallel;
    if (opts.sampling) slot.sampling = SamplingParams.parse({ ...slot.sampling, ...opts.sampling });
    if (opts.contextSize !== undefined) slot.requestedContextSize = opts.contextSize;
    if (opts.systemPrompt !== undefined) {
      slot.history = [{ role: "system", content: opts.systemPrompt }, ...slot.history.filter((t) => t.role !== "system")];
    }
  }

  private async identify(modelRef: string): Promise<ModelIdentity> {
    const filePath = await this.resolver.resolve(modelRef);
    return this.resolver.inspect(filePath);
  }

  private slotFor(ref: SeatRef): Slot {
    const key = seatKey(ref);
    let slot = this.slots.get(key);
    if (!slot) {
      const { sessionId, role } = SeatRef.parse(ref);
      slot = new Slot(sessionId, role, (s) => this.emit({ type: "slot", sessionId: s.sessionId, slot: this.infoOf(s) }));
      this.slots.set(key, slot);
    }
    return slot;
  }

  private mustGet(ref: SeatRef): Slot {
    const slot = this.slots.get(seatKey(ref));
    if (!slot) throw new Error(`no seat '${ref.role}'${ref.sessionId ? ` in session ${ref.sessionId}` : " in the lab"}`);
    return slot;
  }

  private drop(slot: Slot): void {
    if (this.slots.get(slot.key) !== slot) return;
    this.slots.delete(slot.key);
    this.emit({ type: "slot-removed", sessionId: slot.sessionId, role: slot.role });
  }

  private infoOf(slot: Slot): SlotInfo {
    const shared = slot.model ? [...slot.model.seats].filter((k) => k !== slot.key).map((k) => this.slots.get(k)?.ref).filter((r): r is SeatRef => r !== undefined) : [];
    return slot.info(shared);
  }

  private emit(event: EngineEvent): void {
    this.events.emit(event);
  }
}
