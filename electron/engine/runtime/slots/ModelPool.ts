/**
 * The supervised model processes: one per loaded GGUF file, shared by every seat that uses it
 * (ref-counted), plus one warm spare whose llama.cpp backend is already initialised so that a
 * load or hot-swap does not pay for process start-up. Memory estimates run in a separate
 * inspector process (see estimateInspector.ts), so a slow or hostile file never holds up a load.
 *
 * A file whose last seat is released has its model unloaded. When no spare is ready, that process
 * becomes the spare if it gave its memory back (within the slack of recycledBaseline.ts of what
 * it held at start; the allocator keeps a little), and the budget counts it at what it measured. Any
 * other process is ended, which returns all of its memory. Rotation, where every load follows the
 * parking of another seat, is then served by recycled processes: while loads have to park seats,
 * no new spare is started, since starting one costs more CPU than the load it would save.
 */
import { ModelProcess, type ModelProcessCrashed } from "../worker/ModelProcess.js";
import { nodeProcessLauncher, type ProcessLauncher } from "../worker/processLauncher.js";
import type { MemoryEstimate } from "../worker/protocol.js";
import { defaultThreads } from "../worker/threads.js";
import { EstimateInspector } from "./estimateInspector.js";
import { recycledBaseline } from "./recycledBaseline.js";
import { countedProcessBytes } from "./processAccounting.js";
import type { ModelIdentity } from "../../../../shared/slots.js";

/**
 * A model process's measured memory before any model is loaded (Node, llama.cpp's backend, the IPC
 * channel), used until a process has measured it on this machine. 100-130 MB of RSS on Linux x64,
 * of which the anonymous part (the Linux measure: code pages are file-backed) is smaller; the
 * larger figure is kept so the first admission errs on the safe side.
 */
export const DEFAULT_PROCESS_BASELINE_BYTES = 120e6;

/** How long a spare asked for after a load waits for the next first token before it starts anyway. */
export const SPARE_DELAY_MS = 2000;

/** A loaded model file and the process that serves it. */
export interface PooledModel {
  readonly path: string;
  readonly identity: ModelIdentity;
  readonly proc: ModelProcess;
  /** Keys of the seats this model serves. */
  readonly seats: Set<string>;
  readonly loadMs: number;
  /** Growth of the process's measured memory from ready to model loaded. */
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

/** How a load comes to {@link ModelPool.acquire}. */
export interface AcquireOptions {
  /** Admission had to park a seat to make room for this load (see {@link ModelPool.warmUp}). */
  followsParking?: boolean;
  onProgress?: (p: number) => void;
}

export class ModelPool {
  readonly models = new Map<string, PooledModel>();
  private spare: Promise<ModelProcess> | null = null;
  /** The spare once it is up (started or recycled); null while it starts or when there is none. */
  private spareReady: ModelProcess | null = null;
  /**
   * Whether the last load followed the parking of a seat (its {@link AcquireOptions}): the budget
   * is full, so the next load will park one too and can take its process. No spare starts meanwhile.
   */
  private loadsFollowParking = false;
  private disposed = false;
  private crashListener: (model: PooledModel, error: ModelProcessCrashed) => void = () => {};
  private readonly launcher: ProcessLauncher;
  readonly warmSpare: boolean;
  private readonly useMmap: boolean | undefined;
  private readonly inspector: EstimateInspector;
  private measuredBaseline: number | null = null;
  /** Processes on their way out (unloading, stopping, a superseded spare), at what they last held: counted until gone. */
  private readonly leaving = new Map<object, number>();
  /** Each file's measured load growth when it was last loaded here (a rotation loads it again). */
  private readonly lastGrowth = new Map<string, number>();
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

  /** A model process's baseline (measured memory with no model): measured on this machine once a process has started. */
  get processBaselineBytes(): number {
    return this.measuredBaseline ?? DEFAULT_PROCESS_BASELINE_BYTES;
  }

  private start(): Promise<ModelProcess> {
    const started = ModelProcess.start(this.launcher);
    void started.then((p) => (this.measuredBaseline ??= p.baselineBytes), () => undefined);
    return started;
  }

  /**
   * Starts the warm spare if there is none, unless loads are being fed by parking (then the next
   * parked seat's process becomes the spare). Called when the engine starts; after a load or swap
   * the registry asks through {@link warmUpSoon} instead.
   */
  warmUp(): void {
    if (!this.loadsFollowParking) this.startSpare();
  }

  private spareTimer: NodeJS.Timeout | null = null;

  /**
   * Asks for a spare after a load or swap. Its start-up (Node and llama.cpp's backend: about a
   * second of CPU) would slow the first token that usually follows, so it starts at that token
   * ({@link firstToken}), or after {@link SPARE_DELAY_MS} when none comes.
   */
  warmUpSoon(): void {
    if (this.spareTimer || this.spare || this.loadsFollowParking || !this.warmSpare || this.disposed) return;
    this.spareTimer = setTimeout(() => {
      this.spareTimer = null;
      this.warmUp();
    }, SPARE_DELAY_MS);
    this.spareTimer.unref();
  }

  /** A generation produced its first token: a spare asked for by {@link warmUpSoon} starts now. */
  firstToken(): void {
    if (!this.spareTimer) return;
    clearTimeout(this.spareTimer);
    this.spareTimer = null;
    this.warmUp();
  }

  private startSpare(): void {
    if (this.warmSpare && !this.spare && !this.disposed) {
      const spare = this.start();
      spare.then(
        (proc) => {
          if (this.spare === spare) this.spareReady = proc;
        },
        () => {
          if (this.spare === spare) this.spare = null;
        },
      );
      this.spare = spare;
    }
  }

  /** Resolves once the warm spare is up (started now if there is none). */
  async ready(): Promise<void> {
    this.startSpare();
    await this.spare?.catch(() => undefined);
  }

  /** Takes the spare (starting one if needed) for a new model; the next spare starts after the load. */
  private async takeProcess(): Promise<ModelProcess> {
    if (this.spare) {
      const pending = this.spare;
      this.spare = null;
      this.spareReady = null;
      const proc = await pending.catch(() => null);
      if (proc?.alive) return proc;
    }
    return this.start();
  }

  /**
   * Keeps `proc`, whose model is no longer used, as the spare when none is ready and the unload
   * gave the memory back; a spare still starting is then ended. False: the caller ends `proc`.
   */
  private async recycle(proc: ModelProcess): Promise<boolean> {
    if (!this.warmSpare || this.disposed || this.spareReady || !proc.alive) return false;
    let measured: number;
    try {
      measured = (await proc.request({ op: "unload" })).memory.measuredBytes;
    } catch {
      return false;
    }
    const baseline = recycledBaseline(proc.startBytes, measured);
    if (baseline === null || this.disposed || this.spareReady || !proc.alive) return false;
    proc.baselineBytes = baseline;
    const starting = this.spare;
    this.spare = Promise.resolve(proc);
    this.spareReady = proc;
    if (starting) {
      // Still counted until it has ended: on a busy machine its start-up can outlast the next load.
      const token = {};
      this.leaving.set(token, this.processBaselineBytes);
      this.departing(starting.then((p) => p.stop(), () => undefined).finally(() => this.leaving.delete(token)));
    }
    return true;
  }

  /**
   * Memory estimate for loading `identity` with a context, computed in the inspector process with a
   * time limit; cached, since the same question comes back at every admission and plan.
   */
  estimate(identity: ModelIdentity, contextSize: number, sequences = 1): Promise<MemoryEstimate> {
    return this.inspector.estimate(identity, contextSize, sequences);
  }

  /**
   * Bytes of process baselines the budget counts: every model process, the warm spare (or the one
   * that will be started, when the pool keeps one) and the estimate inspector. The inspector lives
   * a few seconds around each new file's estimate, which is when a load follows, so its baseline is
   * always held back: counting it only while it runs would make the budget depend on timing.
   */
  baselineBytes(): number {
    return countedProcessBytes({
      processBaseline: this.processBaselineBytes,
      models: [...this.models.values()].map((m) => m.proc.baselineBytes),
      warmSpare: this.warmSpare,
      spareBaseline: this.spareReady?.baselineBytes ?? null,
      inspectorBytes: this.inspector.running ? this.inspector.measuredBytes : null,
      leaving: [...this.leaving.values()],
    });
  }

  /**
   * The ready spare and the live inspector, each with what the budget counts for it, without
   * waiting for a spare that is still starting (it is counted at a baseline meanwhile).
   */
  idleProcesses(): { pid: number; countedBytes: number }[] {
    const out: { pid: number; countedBytes: number }[] = [];
    if (this.spareReady?.alive) out.push({ pid: this.spareReady.pid, countedBytes: Math.max(this.processBaselineBytes, this.spareReady.baselineBytes) });
    const inspector = this.inspector.process();
    if (inspector?.alive) out.push({ pid: inspector.pid, countedBytes: Math.max(this.processBaselineBytes, this.inspector.measuredBytes ?? 0) });
    return out;
  }

  /**
   * Keeps `bytes` as what `path` holds beyond its baseline and contexts when it is more than its
   * last load measured (see processAccounting.ts's `grownWeights`).
   */
  noteGrowth(path: string, bytes: number): void {
    if (bytes > (this.lastGrowth.get(path) ?? 0)) this.lastGrowth.set(path, bytes);
  }

  /** What `path` grew its process by when it was last loaded here, or the most it held since; null if it never was. */
  lastMeasuredWeights(path: string): number | null {
    return this.lastGrowth.get(path) ?? null;
  }

  /** The loaded model for `identity`, loading it in a fresh process if no seat uses it yet. */
  async acquire(identity: ModelIdentity, seat: string, estimatedWeightsBytes: number, options: AcquireOptions = {}): Promise<PooledModel> {
    const { onProgress } = options;
    this.loadsFollowParking = options.followsParking ?? false;
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
        measuredWeightsBytes: Math.max(0, loaded.memory.measuredBytes - proc.baselineBytes),
        estimatedWeightsBytes,
      };
      this.models.set(identity.path, model);
      this.lastGrowth.set(identity.path, model.measuredWeightsBytes);
      const unsubscribe = proc.onExitOnce((crash) => {
        if (this.models.get(identity.path) === model) this.models.delete(identity.path);
        if (crash) this.crashListener(model, crash);
      });
      this.exitWatch.set(model, unsubscribe);
      return model;
    } catch (error) {
      await proc.stop();
      throw error;
    }
  }

  /** Crash watches of loaded models, dropped when a model's process is recycled. */
  private readonly exitWatch = new WeakMap<PooledModel, () => void>();

  /**
   * Drops `seat` from the model; the last seat out unloads it, and its process becomes the spare
   * or ends (see the header). Returns the ms it took.
   */
  async release(model: PooledModel, seat: string): Promise<number> {
    model.seats.delete(seat);
    if (model.seats.size > 0) return 0;
    const t0 = performance.now();
    // Counted at what it held until its unload or exit returns: an admission may run meanwhile.
    this.leaving.set(model, model.proc.baselineBytes + Math.max(model.estimatedWeightsBytes, model.measuredWeightsBytes));
    if (this.models.get(model.path) === model) this.models.delete(model.path);
    // The model is gone either way: a later death of this process is no longer its crash.
    this.exitWatch.get(model)?.();
    const gone = (async () => {
      try {
        if (!(await this.recycle(model.proc))) await model.proc.stop();
      } finally {
        this.leaving.delete(model);
      }
    })();
    this.departing(gone.catch(() => undefined));
    await gone;
    return performance.now() - t0;
  }

  /** What the processes on their way out settle with, kept until each has gone. */
  private readonly departures = new Set<Promise<unknown>>();

  private departing(done: Promise<unknown>): void {
    this.departures.add(done);
    void done.finally(() => this.departures.delete(done));
  }

  /**
   * Resolves once every process on its way out now has gone, or after `timeoutMs`. An admission that
   * does not fit waits for these before it parks anyone: they free their memory by themselves, and on
   * a busy machine a superseded spare can take seconds to finish starting before it can be stopped.
   */
  async departed(timeoutMs = 30_000): Promise<void> {
    if (this.departures.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    try {
      await Promise.race([Promise.allSettled([...this.departures]), limit]);
    } finally {
      clearTimeout(timer);
    }
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
    if (this.spareTimer) clearTimeout(this.spareTimer);
    this.spareTimer = null;
    const spare = this.spare ? await this.spare.catch(() => null) : null;
    this.spare = null;
    this.spareReady = null;
    await Promise.all([...[...this.models.values()].map((m) => m.proc.stop()), spare?.stop(), this.inspector.dispose()]);
    this.models.clear();
  }
}
