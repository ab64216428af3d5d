/**
 * How the engine starts a model process. Headless it is a Node child process; the Electron shell
 * passes a launcher built on `utilityProcess` instead. The engine only sees {@link ChildHandle}.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A started model process, whatever started it. */
export interface ChildHandle {
  readonly pid: number | null;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
  /** The last lines the process wrote to stderr (llama.cpp's abort reason ends up here). */
  stderrTail(): string;
}

/** Starts the model-process entry module (absolute path) with the given extra Node flags. */
export type ProcessLauncher = (entry: string, execArgv: readonly string[]) => ChildHandle;

const STDERR_KEEP = 4096;

/** Where the model-process entry lives, and how Node must be told to run it. */
export function modelWorkerEntry(): { entry: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = fileURLToPath(new URL(fromSource ? "./modelWorker.ts" : "./modelWorker.js", import.meta.url));
  return { entry, execArgv: fromSource ? ["--import", "tsx"] : [] };
}

/**
 * glibc allocator settings for model processes, unless the user set them: two arenas, and trimming
 * and direct mapping from 1 MB. With them a process that unloads its model returns to within
 * 25-45 MB of its start-up RSS (50-100 MB with the defaults), which lets the pool reuse it as the
 * spare (ModelPool.ts). Other C libraries ignore them.
 */
export function allocatorEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...env,
    MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? "2",
    MALLOC_TRIM_THRESHOLD_: env.MALLOC_TRIM_THRESHOLD_ ?? "1048576",
    MALLOC_MMAP_THRESHOLD_: env.MALLOC_MMAP_THRESHOLD_ ?? "1048576",
  };
}

/** The headless launcher: a Node child process with an IPC channel. */
export const nodeProcessLauncher: ProcessLauncher = (entry, execArgv) => {
  const child = fork(entry, [], {
    execArgv: [...execArgv],
    env: allocatorEnv(),
    stdio: ["ignore", "inherit", "pipe", "ipc"],
    serialization: "advanced",
  });
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-STDERR_KEEP);
    if (process.env.CONCLAVE_DEBUG) process.stderr.write(text);
  });
  return {
    pid: child.pid ?? null,
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => child.on("message", listener),
    onExit: (listener) => child.on("exit", (code, signal) => listener(code, signal)),
    kill: (signal) => child.kill(signal),
    stderrTail: () => tail,
  };
};
