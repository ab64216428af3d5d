/**
 * The engine's handle on one supervised model process: request/reply correlation, token and
 * progress events, and crash detection. A crash rejects every pending request with
 * {@link ModelProcessCrashed}, carrying the exit code and what llama.cpp printed.
 */
import type { WorkerMessage, WorkerRequestInput, WorkerResults } from "./protocol.js";
import { Emitter } from "../../../../shared/emitter.js";
import { modelWorkerEntry, nodeProcessLauncher, type ChildHandle, type ProcessLauncher } from "./processLauncher.js";

const START_TIMEOUT_MS = 60_000;

export class ModelProcessCrashed extends Error {
  constructor(
    readonly code: number | null,
    readonly signal: string | null,
    readonly stderr: string,
  ) {
    const reason = lastMeaningfulLine(stderr);
    super(
      `model process exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})` +
        (code === 134 || signal === "SIGABRT" ? ": llama.cpp aborted" : "") +
        (reason ? ` — ${reason}` : ""),
    );
    this.name = "ModelProcessCrashed";
  }
}

function lastMeaningfulLine(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const assert = lines.findLast((l) => /GGML_ASSERT|error|abort|failed/i.test(l));
  return (assert ?? lines.at(-1) ?? "").slice(0, 300);
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  op: string;
}

export class ModelProcess {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly tokenListeners = new Map<string, (text: string, thought: boolean) => void>();
  private progressListener: ((progress: number) => void) | null = null;
  private readonly exitListeners = new Emitter<ModelProcessCrashed | null>();
  private exited: Promise<void>;
  private expectedExit = false;
  /** Set once the process has exited, expectedly or not. */
  exitInfo: { code: number | null; signal: string | null } | null = null;

  private constructor(
    private readonly child: ChildHandle,
    readonly pid: number,
    baselineBytes: number,
    readonly cpuMathCores: number,
    readonly gpu: string | false,
    exited: Promise<void>,
  ) {
    this.exited = exited;
    this.baselineBytes = baselineBytes;
    this.startBytes = baselineBytes;
  }

  /** The process's measured memory (see processMemory.ts) when it had started, before any model. */
  readonly startBytes: number;

  /**
   * Measured memory with no model loaded. Measured at start; raised when the process is reused after
   * serving a model, since the allocator keeps some of what that model freed.
   */
  baselineBytes: number;

  /** Starts a model process and waits until its runtime is ready (llama.cpp backend loaded). */
  static start(launcher: ProcessLauncher = nodeProcessLauncher): Promise<ModelProcess> {
    const { entry, execArgv } = modelWorkerEntry();
    const child = launcher(entry, execArgv);
    return new Promise((resolve, reject) => {
      let proc: ModelProcess | null = null;
      let resolveExited!: () => void;
      const exited = new Promise<void>((r) => (resolveExited = r));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`model process did not start within ${START_TIMEOUT_MS / 1000} s`));
      }, START_TIMEOUT_MS);
      child.onMessage((raw) => {
        const message = raw as WorkerMessage;
        if (!proc) {
          if (message.kind === "event" && message.event.type === "ready") {
            clearTimeout(timer);
            proc = new ModelProcess(child, message.event.pid, message.event.memory.measuredBytes, message.event.cpuMathCores, message.event.gpu, exited);
            resolve(proc);
          }
          return;
        }
        proc.onMessage(message);
      });
      child.onExit((code, signal) => {
        clearTimeout(timer);
        resolveExited();
        if (!proc) {
          reject(new ModelProcessCrashed(code, signal, child.stderrTail()));
          return;
        }
        proc.onExit(code, signal);
      });
    });
  }

  get alive(): boolean {
    return this.exitInfo === null;
  }

  /** Sends one request and resolves with its typed result. */
  request<Op extends keyof WorkerResults>(body: WorkerRequestInput & { op: Op }): Promise<WorkerResults[Op]> {
    if (!this.alive) return Promise.reject(new Error(`model process ${this.pid} has exited`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, op: body.op });
      this.child.send({ id, body });
    });
  }

  /** Streamed text of a generation; `thought` marks text of its thought segment. */
  onToken(generationId: string, listener: (text: string, thought: boolean) => void): () => void {
    this.tokenListeners.set(generationId, listener);
    return () => this.tokenListeners.delete(generationId);
  }

  onProgress(listener: ((progress: number) => void) | null): void {
    this.progressListener = listener;
  }

  /** Called once when the process ends; `error` is set when the exit was not asked for. */
  onExitOnce(listener: (error: ModelProcessCrashed | null) => void): () => void {
    return this.exitListeners.on(listener);
  }

  /** Ends the process (which returns all of its memory) and waits for it to be gone. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.expectedExit = true;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 3000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the process as a crash would (tests and the supervisor's watchdog). */
  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    this.child.kill(signal);
  }

  private onMessage(message: WorkerMessage): void {
    if (message.kind === "reply") {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      return;
    }
    const event = message.event;
    if (event.type === "token") this.tokenListeners.get(event.generationId)?.(event.text, event.thought === true);
    else if (event.type === "progress") this.progressListener?.(event.progress);
  }

  private onExit(code: number | null, signal: string | null): void {
    this.exitInfo = { code, signal };
    const crash = this.expectedExit ? null : new ModelProcessCrashed(code, signal, this.child.stderrTail());
    for (const pending of this.pending.values()) {
      pending.reject(crash ?? new Error(`model process stopped during '${pending.op}'`));
    }
    this.pending.clear();
    this.exitListeners.emit(crash);
    this.exitListeners.clear();
  }
}
