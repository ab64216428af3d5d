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

/** The headless launcher: a Node child process with an IPC channel. */
export const nodeProcessLauncher: ProcessLauncher = (entry, execArgv) => {
  const child = fork(entry, [], {
    execArgv: [...execArgv],
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
