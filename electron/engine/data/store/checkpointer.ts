/**
 * Moves WAL checkpoints off the append path. SQLite's automatic checkpoint runs inside whichever
 * commit crosses the threshold and fsyncs the database there, which puts multi-millisecond spikes into
 * `appendMessage`'s tail. Instead a worker thread with its own connection runs a PASSIVE checkpoint
 * every interval: PASSIVE never blocks the writer, and the WAL restarts from its start once a
 * checkpoint has caught up. The main connection keeps a much larger automatic threshold as a safety net
 * in case the worker dies.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const require = createRequire(import.meta.url);

// Plain CommonJS so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
const timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch { /* busy: the next tick retries */ }
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch { /* best effort */ }
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Asks the worker to checkpoint once more, close its connection and exit. */
  stop(): void;
}

export function startCheckpointer(file: string, intervalMs = 250): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, intervalMs, module: require.resolve("better-sqlite3") },
  });
  // Never keep the process alive for housekeeping, and never crash it over a failed checkpoint.
  worker.unref();
  worker.on("error", () => undefined);
  return {
    stop: () => worker.postMessage("stop"),
  };
}
