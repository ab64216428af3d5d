/**
 * Role slots over supervised model processes: load, unload, hot-swap, generate, prefetch, memory.
 * This is the engine's public face for models; the bus, the host and the CLI all go through it.
 */
import os from "node:os";
import path from "node:path";
import { mkdirSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { ModelPool, type ModelPoolOptions, type PooledModel } from "./ModelPool.js";
import type { ModelProcessCrashed } from "../worker/ModelProcess.js";
import { Slot } from "./Slot.js";
import { defaultBudget, type Budget } from "./memoryBudget.js";
import { BudgetAdmission } from "./budgetAdmission.js";
import { swapSlot, type SwapContext } from "./hotSwap.js";
import { toGenerationResult } from "./generationResult.js";
import { buildMemoryReport } from "./memoryReport.js";
import { sampleParallel } from "./parallelSampling.js";
import { ThreadBalancer } from "./threadBalancer.js";
import { fitHistory } from "./historyFit.js";
import {
  LoadOptions,
  RoleName,
  SamplingParams,
  type ChatTurn,
  type EngineEvent,
  type GenerationResult,
  type MemoryReport,
  type ModelIdentity,
  type SamplingInput,
  type SlotInfo,
  type SwapEvent,
} from "../../../shared/slots.js";

/** Turns a model reference (path, library name, hf: URI) into a validated file identity. */
export interface ModelResolver {
  resolve(ref: string): Promise<string>;
  /** Reads and validates the GGUF header; throws a specific error for a bad file. */
  inspect(filePath: string): Promise<ModelIdentity>;
}

export interface SlotRegistryOptions extends ModelPoolOptions {
  resolver: ModelResolver;
  budgetBytes?: number;
  /** What to do when a load does not fit: refuse with the numbers, or evict idle unpinned slots (LRU). */
  eviction?: "refuse" | "evict-lru";
  /** Context size when a load names none (capped by the model's training context). */
  defaultContextSize?: number;
  /** Folder for saved KV states (swap-back); a temp folder by default. */
  stateDir?: string;
}

export interface GenerateOptions {
  /** Replaces the role's history before generating (the bus's view of the conversation). */
  turns?: ChatTurn[];
  /** Appended to the role's history before generating. */
  append?: ChatTurn[];
  sampling?: Partial<SamplingInput>;
  /** JSON schema the output must follow (enforced by a grammar). */
  jsonSchema?: Record<string, unknown>;
  generationId?: string;
  onToken?: (text: string) => void;
}

export class SlotRegistry {
  private readonly slots = new Map<string, Slot>();
  private readonly pool: ModelPool;
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly resolver: ModelResolver;
  private readonly defaultContextSize: number;
  private readonly stateDir: string;
  private readonly generating = new Map<string, PooledModel>();
  private readonly threads: ThreadBalancer;
  private readonly admission: BudgetAdmission;
  budget: Budget;
  eviction: "refuse" | "evict-lru";

  constructor(options: SlotRegistryOptions) {
    this.pool = new ModelPool(options);
    this.resolver = options.resolver;
    const auto = defaultBudget();
    this.budget = options.budgetBytes ? { bytes: options.budgetBytes, rule: "set by configuration" } : auto;
    this.eviction = options.eviction ?? "refuse";
    this.defaultContextSize = options.defaultContextSize ?? 4096;
    this.stateDir = options.stateDir ?? path.join(os.tmpdir(), `conclave-state-${process.pid}-${randomUUID().slice(0, 8)}`);
    mkdirSync(this.stateDir, { recursive: true });
    this.threads = new ThreadBalancer(this.generating, () => this.pool.threads);
    this.admission = new BudgetAdmission({
      pool: this.pool,
      slots: this.slots,
      budget: () => this.budget,
      eviction: () => this.eviction,
      defaultContextSize: this.defaultContextSize,
      detach: (slot) => this.detach(slot),
      emitSlot: (slot) => this.emitSlot(slot),
    });
    this.pool.onCrash((model, error) => this.onCrash(model, error));
    this.pool.warmUp();
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): SlotInfo[] {
    return [...this.slots.values()].map((s) => this.infoOf(s));
  }

  get(role: string): SlotInfo | null {
    const slot = this.slots.get(role);
    return slot ? this.infoOf(slot) : null;
  }

  getHistory(role: string): ChatTurn[] {
    return [...(this.slots.get(role)?.history ?? [])];
  }

  setHistory(role: string, turns: ChatTurn[]): void {
    this.slotFor(role).history = [...turns];
  }

  setPinned(role: string, pinned: boolean): void {
    const slot = this.slotFor(role);
    slot.pinned = pinned;
    this.emitSlot(slot);
  }

  /** Loads a model into a role (a loaded role is hot-swapped instead, keeping its history). */
  async load(role: string, modelRef: string, options: LoadOptions = {}): Promise<SlotInfo> {
    RoleName.parse(role);
    const opts = LoadOptions.parse(options);
    const slot = this.slotFor(role);
    if (opts.pinned !== undefined) slot.pinned = opts.pinned;
    if (opts.sampling) slot.sampling = SamplingParams.parse({ ...slot.sampling, ...opts.sampling });
    if (opts.systemPrompt !== undefined) {
      slot.history = [{ role: "system", content: opts.systemPrompt }, ...slot.history.filter((t) => t.role !== "system")];
    }
    if (slot.model) {
      const event = await this.hotSwap(role, modelRef, opts);
      if (event.outcome !== "ok") throw new Error(event.error ?? "swap failed");
      return this.infoOf(slot);
    }
    return slot.lock.run(async () => {
      slot.status = "loading";
      slot.progress = 0;
      slot.error = null;
      this.emitSlot(slot);
      try {
        const identity = await this.identify(modelRef);
        slot.identity = identity;
        const model = await this.admission.admit(slot, identity, opts.contextSize);
        await this.openOn(slot, model, opts.contextSize ?? this.defaultContextSize);
        if (slot.history.some((t) => t.role !== "system")) {
          const fit = await fitHistory(slot, model);
          const r = await model.proc.request({ op: "prefill", key: slot.sessionKey, turns: fit.turns });
          slot.contextTokens = r.tokens;
        }
        slot.status = "ready";
        slot.progress = null;
        slot.touch();
        this.emitSlot(slot);
        this.pool.warmUp();
        return this.infoOf(slot);
      } catch (error) {
        slot.status = "error";
        slot.progress = null;
        slot.error = error instanceof Error ? error.message : String(error);
        this.emitSlot(slot);
        throw error;
      }
    });
  }

  /**
   * What loading `modelRef` would add to the budget (GgufInsights weights + context + vocabulary),
   * without loading anything; weights count zero when another role already has the file.
   */
  async estimate(modelRef: string, options: LoadOptions = {}): Promise<{ estimateBytes: number; budgetBytes: number; inUseBytes: number }> {
    const identity = await this.identify(modelRef);
    const { needed } = await this.admission.neededBytes(identity, LoadOptions.parse(options).contextSize);
    return { estimateBytes: needed, budgetBytes: this.budget.bytes, inUseBytes: this.admission.inUseBytes() };
  }

  /** Unloads a role; its history stays, so loading it again restores the conversation. */
  async unload(role: string): Promise<void> {
    const slot = this.slots.get(role);
    if (!slot) return;
    await slot.lock.run(async () => {
      await this.detach(slot);
      slot.status = "empty";
      slot.error = null;
      this.emitSlot(slot);
    });
  }

  /** Removes a role altogether. */
  async remove(role: string): Promise<void> {
    await this.unload(role);
    this.slots.delete(role);
    this.emit({ type: "slot-removed", role });
  }

  /** Moves a role to another model with its whole history; see {@link swapSlot} for the policy. */
  async hotSwap(role: string, modelRef: string, options: LoadOptions = {}): Promise<SwapEvent> {
    const slot = this.slotFor(role);
    const opts = LoadOptions.parse(options);
    const event = await slot.lock.run(() => swapSlot(this.swapContext(), slot, modelRef, opts.contextSize));
    this.pool.warmUp();
    this.emit({ type: "swap", event });
    return event;
  }

  /** Generates the role's next turn, streaming tokens, and appends it to the role's history. */
  async generate(role: string, options: GenerateOptions = {}): Promise<GenerationResult> {
    const slot = this.slotFor(role);
    const generationId = options.generationId ?? randomUUID();
    return slot.lock.run(async () => {
      const model = slot.model;
      if (!model || slot.status === "error") throw new Error(`role '${role}' has no loaded model${slot.error ? `: ${slot.error}` : ""}`);
      if (options.turns) slot.history = [...options.turns];
      if (options.append) slot.history.push(...options.append);
      const sampling = SamplingParams.parse({ ...slot.sampling, ...options.sampling });
      slot.status = "generating";
      slot.touch();
      this.emitSlot(slot);
      this.generating.set(generationId, model);
      await this.threads.rebalance();
      const off = model.proc.onToken(generationId, (text) => {
        options.onToken?.(text);
        this.emit({ type: "token", role, generationId, text });
      });
      try {
        const fit = await fitHistory(slot, model, sampling.maxTokens, false);
        const r = await model.proc.request({
          op: "generate",
          key: slot.sessionKey,
          generationId,
          turns: fit.turns,
          sampling,
          jsonSchema: options.jsonSchema,
        });
        slot.history.push({ role: "assistant", content: r.text });
        slot.contextTokens = r.contextTokens;
        const result = toGenerationResult(r, fit.dropped);
        slot.recordGeneration(result);
        return result;
      } finally {
        off();
        this.generating.delete(generationId);
        void this.threads.rebalance();
        if (slot.status === "generating") slot.status = slot.model ? "ready" : "error";
        slot.touch();
        this.emitSlot(slot);
      }
    });
  }

  /**
   * Samples `prompts.length` completions from the role's model at once, on parallel sequences of
   * one temporary context (batched decoding). This is the same-budget baseline of a committee:
   * one model sampled N times. The role's own history and context are left untouched.
   */
  async sampleParallel(role: string, prompts: ChatTurn[][], sampling: Partial<SamplingInput> = {}): Promise<GenerationResult[]> {
    const slot = this.slotFor(role);
    if (!slot.model) throw new Error(`role '${role}' has no loaded model`);
    return sampleParallel({ slot, model: slot.model, admission: this.admission, budget: this.budget, generating: this.generating, defaultContextSize: this.defaultContextSize }, prompts, sampling);
  }

  /** Stops a generation; the partial text is kept as the turn. */
  async abort(generationId: string): Promise<boolean> {
    const model = this.generating.get(generationId);
    if (!model) return false;
    const r = await model.proc.request({ op: "abort", generationId });
    return r.found;
  }

  /**
   * Pre-fills a role's context with `turns` (e.g. the next speaker's view) while other roles
   * generate, so its next generation starts from a warm KV cache.
   */
  async prefetch(role: string, turns: ChatTurn[]): Promise<{ tokens: number; ms: number }> {
    const slot = this.slotFor(role);
    return slot.lock.run(async () => {
      if (!slot.model) throw new Error(`role '${role}' has no loaded model`);
      slot.history = [...turns];
      const fit = await fitHistory(slot, slot.model);
      const r = await slot.model.proc.request({ op: "prefill", key: slot.sessionKey, turns: fit.turns });
      slot.contextTokens = r.tokens;
      this.emitSlot(slot);
      return { tokens: r.tokens, ms: r.ms };
    });
  }

  /** Estimates and live measurements for every model process, beside the budget. */
  async memory(): Promise<MemoryReport> {
    const report = await buildMemoryReport(this.pool, this.slots, this.budget, this.admission.inUseBytes());
    this.emit({ type: "memory", report });
    return report;
  }

  /** Resolves once a warm model process is standing by, so the next load or swap starts at once. */
  ready(): Promise<void> {
    return this.pool.ready();
  }

  /** Ends every model process and forgets saved states. */
  async dispose(): Promise<void> {
    await this.pool.dispose();
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  // ----- internals shared with hotSwap.ts -----

  private swapContext(): SwapContext {
    return {
      identify: (ref) => this.identify(ref),
      admit: (slot, identity, contextSize) => this.admission.admit(slot, identity, contextSize),
      neededBytes: async (identity, contextSize) => (await this.admission.neededBytes(identity, contextSize)).needed,
      detach: (slot) => this.detach(slot),
      closeSession: (model, key) => model.proc.request({ op: "closeSession", key }).then(() => undefined),
      openOn: (slot, model, contextSize) => this.openOn(slot, model, contextSize),
      fitHistory: (slot, model) => fitHistory(slot, model),
      release: (model, role) => this.pool.release(model, role),
      stateFile: (slot, fingerprint) => path.join(this.stateDir, `${slot.role}-${fingerprint.replace(/[^a-zA-Z0-9]/g, "")}.state`),
      emitSlot: (slot) => this.emitSlot(slot),
      defaultContextSize: this.defaultContextSize,
      fits: (extraBytes) => this.admission.inUseBytes() + extraBytes <= this.budget.bytes,
    };
  }

  private async identify(modelRef: string): Promise<ModelIdentity> {
    const filePath = await this.resolver.resolve(modelRef);
    return this.resolver.inspect(filePath);
  }

  /** Opens the slot's context on `model` and records what it measurably cost. */
  private async openOn(slot: Slot, model: PooledModel, contextSize: number): Promise<void> {
    const before = await model.proc.request({ op: "stats" });
    const key = slot.nextSessionKey();
    try {
      const opened = await model.proc.request({ op: "openSession", key, contextSize });
      slot.contextSize = opened.contextSize;
      slot.measuredContextBytes = Math.max(0, opened.rssBytes - before.rssBytes);
    } catch (error) {
      await this.pool.release(model, slot.role);
      throw error;
    }
    slot.model = model;
    slot.sessionKey = key;
    slot.contextTokens = 0;
  }

  /** Closes the slot's context and drops it from its model (ending the process if it was the last). */
  private async detach(slot: Slot): Promise<number> {
    const model = slot.model;
    if (!model) return 0;
    slot.model = null;
    slot.contextTokens = 0;
    slot.measuredContextBytes = null;
    if (model.roles.size > 1) await model.proc.request({ op: "closeSession", key: slot.sessionKey }).catch(() => undefined);
    return this.pool.release(model, slot.role);
  }

  /** A model process died: its slots go to `error` with the reason and keep their history. */
  private onCrash(model: PooledModel, error: ModelProcessCrashed): void {
    for (const role of model.roles) {
      const slot = this.slots.get(role);
      if (slot?.model !== model) continue;
      slot.model = null;
      slot.status = "error";
      slot.error = error.message;
      slot.contextTokens = 0;
      this.emitSlot(slot);
    }
    this.emit({ type: "process-exit", pid: model.proc.pid, modelPath: model.path, code: error.code, signal: error.signal, roles: [...model.roles] });
  }

  private slotFor(role: string): Slot {
    let slot = this.slots.get(role);
    if (!slot) {
      slot = new Slot(RoleName.parse(role));
      this.slots.set(role, slot);
    }
    return slot;
  }

  private infoOf(slot: Slot): SlotInfo {
    const shared = slot.model ? [...slot.model.roles].filter((r) => r !== slot.role) : [];
    return slot.info(shared);
  }

  private emitSlot(slot: Slot): void {
    this.emit({ type: "slot", slot: this.infoOf(slot) });
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

