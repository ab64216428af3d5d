/**
 * Memory estimates (GgufInsights over the file's header) in a process of their own. A header with
 * absurd values can make the estimate run for minutes; here it runs with a time limit, in a
 * process that is killed when the limit passes, so neither the warm spare nor a model's own
 * process — and therefore no load, swap or generation — ever waits behind it. The process starts
 * on demand and ends after a short idle time; answers are cached per (file, context, sequences).
 */
import type { ModelProcess } from "../worker/ModelProcess.js";
import { measureProcess } from "../worker/processMemory.js";
import type { MemoryEstimate } from "../worker/protocol.js";
import type { ModelIdentity } from "../../../../shared/slots.js";

/** The inspector ends this long after its last estimate (answers are cached, so it is rarely needed again). */
const IDLE_MS = 5_000;

/** An estimate that ran past its limit; the file is named so the user knows which. */
export class EstimateTimeoutError extends Error {
  readonly code = "estimate-timeout";
  constructor(file: string, ms: number) {
    super(`estimating the memory of ${file} took longer than ${Math.round(ms / 1000)} s; its header is probably malformed`);
    this.name = "EstimateTimeoutError";
  }
}

export class EstimateInspector {
  private proc: Promise<ModelProcess> | null = null;
  private live: ModelProcess | null = null;
  private idle: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cache = new Map<string, Promise<MemoryEstimate>>();
  private disposed = false;
  /** The process's measure after its last estimate (reading a header leaves more than a bare process); null before one. */
  measuredBytes: number | null = null;

  constructor(
    private readonly start: () => Promise<ModelProcess>,
    private readonly timeoutMs: number,
  ) {}

  /** Whether the inspector process is up. */
  get running(): boolean {
    return this.live?.alive ?? false;
  }

  process(): ModelProcess | null {
    return this.live;
  }

  estimate(identity: ModelIdentity, contextSize: number, sequences: number): Promise<MemoryEstimate> {
    const key = `${identity.fingerprint}|${identity.path}|${contextSize}|${sequences}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.enqueue(() => this.run(identity.path, contextSize, sequences));
      this.cache.set(key, hit);
      // A failure is not an answer: the next question asks again.
      hit.catch(() => this.cache.delete(key));
    }
    return hit;
  }

  /** One estimate at a time: a queue keeps a slow one from being killed by another's timer. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async run(file: string, contextSize: number, sequences: number): Promise<MemoryEstimate> {
    if (this.disposed) throw new Error("the engine is shutting down");
    if (this.idle) clearTimeout(this.idle);
    const proc = await this.ensure();
    let timer: NodeJS.Timeout | null = null;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        proc.kill("SIGKILL");
        this.live = null;
        this.proc = null;
        reject(new EstimateTimeoutError(file, this.timeoutMs));
      }, this.timeoutMs);
    });
    try {
      const answer = await Promise.race([proc.request({ op: "estimate", modelPath: file, contextSize, sequences }), timeout]);
      this.measuredBytes = await measureProcess(proc.pid).then((m) => m.measuredBytes, () => this.measuredBytes);
      return answer;
    } finally {
      if (timer) clearTimeout(timer);
      this.idle = setTimeout(() => void this.stop(), IDLE_MS);
      this.idle.unref();
    }
  }

  private async ensure(): Promise<ModelProcess> {
    if (this.live?.alive) return this.live;
    this.proc ??= this.start();
    try {
      this.live = await this.proc;
      return this.live;
    } catch (error) {
      this.proc = null;
      throw error;
    }
  }

  private async stop(): Promise<void> {
    const proc = this.live;
    this.live = null;
    this.measuredBytes = null;
    this.proc = null;
    await proc?.stop();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.idle) clearTimeout(this.idle);
    await this.stop();
  }
}
