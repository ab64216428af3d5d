/**
 * The supervised model processes: one per loaded GGUF file, shared by every seat that uses it
 * (ref-counted), plus one warm spare whose llama.cpp backend is already initialised so that a
 * load or hot-swap does not pay for process start-up. A file whose last seat is released has its
 * process ended, which hands all of its memory back to the OS (glibc would keep it in a shared
 * process). Memory estimates run in a separate inspector process (see estimateInspector.ts), so a
 * slow or hostile file never holds up a load.
 */
import { ModelProcess, type ModelProcessCrashed } from "../worker/ModelProcess.js";
import { nodeProcessLauncher, type ProcessLauncher } from "../worker/processLauncher.js";
import type { MemoryEstimate } from "../worker/protocol.js";
import { defaultThreads } from "../worker/threads.js";
import { EstimateInspector } from "./estimateInspector.js";
import type { ModelIdentity } from "../../../shared/slots.js";

/**
 * A model process's RSS before any model is loaded (Node, llama.cpp's backend, the IPC channel),
 * used until a process has measured it on this machine: 100-130 MB measured on Linux x64.
 */
export const DEFAULT_PROCESS_BASELINE_BYTES = 120e6;

/** A loaded model file and the process that serves it. */
export interface PooledModel {
  readonly path: string;
  readonly identity: ModelIdentity;
  readonly proc: ModelProcess;
  /** Keys of the seats this model serves. */
  readonly seats: Set<string>;
  readonly loadMs: number;
  /** RSS growth of the process from ready to model loaded. */
  readonly measuredWeightsBytes: number;
  /** Estimate of the weights (+ vocabulary + runtime) at load time. */
  readonly estimatedWeightsBytes: number;
}

export interface ModelPoolOptions {
  launcher?: ProcessLauncher;
  /** Keep one initialised process ready for the next load (default true). */
  warmSpare?: boolean;
  /** Threads the model processes share (default: {@link defaultThreads}). */
  threads?: number;
  useMmap?: boolean;
  /** How long one memory estimate may take before its process is killed (default 20 s). */
  estimateTimeoutMs?: number;
}

export class ModelPool {
  readonly models = new Map<string, PooledModel>();
  private spare: Promise<ModelProcess> | null = null;
  private disposed = false;
  private crashListener: (model: PooledModel, error: ModelProcessCrashed) => void = () => {};
  private readonly launcher: ProcessLauncher;
  readonly warmSpare: boolean;
  private readonly useMmap: boolean | undefined;
  private readonly inspector: EstimateInspector;
  private measuredBaseline: number | null = null;
  threads: number | null;

  constructor(options: ModelPoolOptions = {}) {
    this.launcher = options.launcher ?? nodeProcessLauncher;
    this.warmSpare = options.warmSpare ?? true;
    this.threads = options.threads ?? null;
    this.useMmap = options.useMmap;
    this.inspector = new EstimateInspector(() => this.start(), options.estimateTimeoutMs ?? 20_000);
  }

  /** Called when a model process dies without being asked to. */
  onCrash(listener: (model: PooledModel, error: ModelProcessCrashed) => void): void {
    this.crashListener = listener;
  }

  /** A model process's baseline RSS: measured on this machine once a process has started. */
  get processBaselineBytes(): number {
    return this.measuredBaseline ?? DEFAULT_PROCESS_BASELINE_BYTES;
  }

  private start(): Promise<ModelProcess> {
    const started = ModelProcess.start(this.launcher);
    void started.then((p) => (this.measuredBaseline ??= p.baselineRssBytes), () => undefined);
    return started;
  }

  /**
   * Starts the warm spare if there is none. The registry calls this when a load or swap has
   * finished, so the spare's start-up never competes with a load or prefill for the CPU.
   */
  warmUp(): void {
    if (this.warmSpare && !this.spare && !this.disposed) {
      const spare = this.start();
      spare.catch(() => {
        if (this.spare === spare) this.spare = null;
      });
      this.spare = spare;
    }
  }

  /** Resolves once the warm spare is up (started now if there is none). */
  async ready(): Promise<void> {
    this.warmUp();
    await this.spare?.catch(() => undefined);
  }

  /** Takes the spare (starting one if needed) for a new model; the next spare starts after the load. */
  private async takeProcess(): Promise<ModelProcess> {
    if (this.spare) {
      const pending = this.spare;
      this.spare = null;
      const proc = await pending.catch(() => null);
      if (proc?.alive) return proc;
    }
    return this.start();
  }

  /**
   * Memory estimate for loading `identity` with a context, computed in the inspector process with a
   * time limit; cached, since the same question comes back at every admission and plan.
   */
  estimate(identity: ModelIdentity, contextSize: number, sequences = 1): Promise<MemoryEstimate> {
    return this.inspector.estimate(identity, contextSize, sequences);
  }

  /**
   * Bytes of process baselines the budget counts: every model process and the warm spare (or the
   * one that will be started, when the pool keeps one). The estimate inspector is left out: it
   * lives a few seconds per new file and would make the budget depend on timing; the memory report
   * lists it while it runs.
   */
  baselineBytes(): number {
    let total = 0;
    for (const m of this.models.values()) total += m.proc.baselineRssBytes;
    if (this.warmSpare) total += this.processBaselineBytes;
    return total;
  }

  /** The loaded model for `identity`, loading it in a fresh process if no seat uses it yet. */
  async acquire(identity: ModelIdentity, seat: string, estimatedWeightsBytes: number, onProgress?: (p: number) => void): Promise<PooledModel> {
    const existing = this.models.get(identity.path);
    if (existing?.proc.alive) {
      existing.seats.add(seat);
      return existing;
    }
    const proc = await this.takeProcess();
    try {
      proc.onProgress(onProgress ?? null);
      const loaded = await proc.request({
        op: "load",
        modelPath: identity.path,
        threads: this.threads ?? defaultThreads(proc.cpuMathCores),
        useMmap: this.useMmap,
      });
      proc.onProgress(null);
      const model: PooledModel = {
        path: identity.path,
        identity,
        proc,
        seats: new Set([seat]),
        loadMs: loaded.loadMs,
        measuredWeightsBytes: Math.max(0, loaded.rssBytes - proc.baselineRssBytes),
        estimatedWeightsBytes,
      };
      this.models.set(identity.path, model);
      proc.onExitOnce((crash) => {
        if (this.models.get(identity.path) === model) this.models.delete(identity.path);
        if (crash) this.crashListener(model, crash);
      });
      return model;
    } catch (error) {
      await proc.stop();
      throw error;
    }
  }

  /** Drops `seat` from the model; the last seat out ends the process. Returns the ms it took. */
  async release(model: PooledModel, seat: string): Promise<number> {
    model.seats.delete(seat);
    if (model.seats.size > 0) return 0;
    const t0 = performance.now();
    if (this.models.get(model.path) === model) this.models.delete(model.path);
    await model.proc.stop();
    return performance.now() - t0;
  }

  /** Live processes: loaded models, the spare and the inspector (for the memory report). */
  async processes(): Promise<{ model: PooledModel | null; proc: ModelProcess; label: string }[]> {
    const list = [...this.models.values()].map((m) => ({ model: m as PooledModel | null, proc: m.proc, label: m.path }));
    const spare = this.spare ? await this.spare.catch(() => null) : null;
    if (spare?.alive) list.push({ model: null, proc: spare, label: "(warm spare)" });
    const inspector = this.inspector.process();
    if (inspector?.alive) list.push({ model: null, proc: inspector, label: "(estimate inspector)" });
    return list;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const spare = this.spare ? await this.spare.catch(() => null) : null;
    this.spare = null;
    await Promise.all([...[...this.models.values()].map((m) => m.proc.stop()), spare?.stop(), this.inspector.dispose()]);
    this.models.clear();
  }
}
