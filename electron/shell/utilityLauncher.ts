/**
 * The Electron way to start a model process: `utilityProcess`, a Chromium-managed Node child.
 * Unlike `child_process.fork` from a packaged app it needs no separate Node binary, runs with the
 * app's code signature on macOS, and a llama.cpp abort in it cannot take down the main process.
 * The engine sees only its {@link ProcessLauncher} shape; the worker talks over `process.parentPort`.
 */
import { utilityProcess } from "electron";
import { allocatorEnv, type ChildHandle, type ProcessLauncher } from "../engine/engineTools.js";

const STDERR_KEEP = 4096;

/** A {@link ProcessLauncher} backed by `utilityProcess.fork`. */
export const utilityProcessLauncher: ProcessLauncher = (entry, execArgv): ChildHandle => {
  const child = utilityProcess.fork(entry, [], {
    execArgv: [...execArgv],
    serviceName: "Conclave model",
    env: allocatorEnv(),
    stdio: ["ignore", "inherit", "pipe"],
  });
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-STDERR_KEEP);
  });
  const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
  child.on("exit", (code) => {
    // utilityProcess reports only a code; a crash (llama.cpp abort) shows as a non-zero one.
    for (const l of exitListeners) l(code, null);
  });
  return {
    get pid() {
      return child.pid ?? null;
    },
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on("message", listener),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => child.kill(),
    stderrTail: () => tail,
  };
};
