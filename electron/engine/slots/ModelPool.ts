/**
 * The supervised model processes: one per loaded GGUF file, shared by every role that uses it
 * (ref-counted), plus one warm spare whose llama.cpp backend is already initialised so that a
 * load or hot-swap does not pay for process start-up. A file whose last role is released has its
 * process ended, which hands all of its memory back to the OS (glibc would keep it in a shared
 * process).
 */
import { ModelProcess, type ModelProcessCrashed } from "../worker/ModelProcess.js";
import { nodeProcessLauncher, type ProcessLauncher } from "../worker/processLauncher.js";
import type { MemoryEstimate } from "../worker/protocol.js";
import { defaultThreads } from "../worker/threads.js";
import type { ModelIdentity } from "../../../shared/slots.js";

/** A loaded model file and the process that serves it. */
export interface PooledModel {
  readonly path: string;
  readonly identity: ModelIdentity;
  readonly proc: ModelProcess;
  readonly roles: Set<string>;
  readonly loadMs: number;
  /** RSS growth of the process from ready to model loaded. */
  readonly measuredWeightsBytes: number;
  /** Estimate of the weights (+ vocabulary) at load time. */
  readonly estimatedWeightsBytes: number;
}

export interface ModelPoolOptions {
  launcher?: ProcessLauncher;
  /** Keep one initialised process ready for the next load (default true). */
  warmSpare?: boolean;
  /** Threads the model processes share (default: {@link defaultThreads}). */
  threads?: number;
  useMmap?: boolean;
}

export class ModelPool {
  readonly models = new Map<string, PooledModel>();
  private spare: Promise<ModelProcess> | null = null;
  private disposed = false;
  private crashListener: (model: PooledModel, error: ModelProcessCrashed) => void = () => {};
  private readonly launcher: ProcessLauncher;
  private readonly warmSpare: boolean;
  private readonly useMmap: boolean | undefined;
  threads: number | null;

  constructor(options: ModelPoolOptions = {}) {
    this.launcher = options.launcher ?? nodeProcessLauncher;
    this.warmSpare = options.warmSpare ?? true;
    this.threads = options.threads ?? null;
    this.useMmap = options.useMmap;
  }

  /** Called when a model process dies without being asked to. */
  onCrash(listener: (model: PooledModel, error: ModelProcessCrashed) => void): void {
    this.crashListener = listener;
  }

  /**
   * Starts the warm spare if there is none. The registry calls this when a load or swap has
   * finished, so the spare's start-up never competes with a load or prefill for the CPU.
   */
  warmUp(): void {
    if (this.warmSpare && !this.spare && !this.disposed) {
      const spare = ModelProcess.start(this.launcher);
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

  /** The spare process, started if needed; it stays the spare. */
  private async peekSpare(): Promise<ModelProcess> {
    if (this.spare) {
      const proc = await this.spare.catch(() => null);
      if (proc?.alive) return proc;
      this.spare = null;
    }
    this.spare = ModelProcess.start(this.launcher);
    return this.spare;
  }

  /** Takes the spare for a new model and starts the next spare once the caller is done loading. */
  private async takeProcess(): Promise<ModelProcess> {
    const proc = await this.peekSpare();
    this.spare = null;
    return proc;
  }

  /** Memory estimate for loading `path` with a context; computed in a model process, never here. */
  async estimate(path: string, contextSize: number, sequences = 1): Promise<MemoryEstimate> {
    const proc = this.models.get(path)?.proc ?? (await this.peekSpare());
    return proc.request({ op: "estimate", modelPath: path, contextSize, sequences });
  }

  /** The loaded model for `path`, loading it in a fresh process if no role uses it yet. */
  async acquire(
    identity: ModelIdentity,
    role: string,
    estimatedWeightsBytes: number,
    onProgress?: (p: number) => void,
  ): Promise<PooledModel> {
    const existing = this.models.get(identity.path);
    if (existing?.proc.alive) {
      existing.roles.add(role);
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
        roles: new Set([role]),
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

  /** Drops `role` from the model; the last role out ends the process. Returns the ms it took. */
  async release(model: PooledModel, role: string): Promise<number> {
    model.roles.delete(role);
    if (model.roles.size > 0) return 0;
    const t0 = performance.now();
    if (this.models.get(model.path) === model) this.models.delete(model.path);
    await model.proc.stop();
    return performance.now() - t0;
  }

  /** Live processes: loaded models and the spare (for the memory report). */
  async processes(): Promise<{ model: PooledModel | null; proc: ModelProcess }[]> {
    const list: { model: PooledModel | null; proc: ModelProcess }[] = [...this.models.values()].map((m) => ({ model: m, proc: m.proc }));
    const spare = this.spare ? await this.spare.catch(() => null) : null;
    if (spare?.alive) list.push({ model: null, proc: spare });
    return list;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const spare = this.spare ? await this.spare.catch(() => null) : null;
    this.spare = null;
    await Promise.all([...[...this.models.values()].map((m) => m.proc.stop()), spare?.stop()]);
    this.models.clear();
  }
}
