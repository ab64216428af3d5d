/**
 * Child process for the kill -9 test: appends messages to the store in `argv[2]` (session `argv[3]`)
 * as fast as it can and prints each seq only after `appendMessage` returned, i.e. after the commit.
 * Stdout is a pipe, which Node writes synchronously on POSIX, so a printed seq was committed first.
 * The pipe may be non-blocking: when the parent reads slowly (a busy machine) a write can fail with
 * EAGAIN, and the line is written again after a short wait instead of ending the child.
 */
import { writeSync } from "node:fs";
import { openStore } from "../sessionStore.js";
import { modelDraft } from "./testSupport.js";

const [file, sessionId] = process.argv.slice(2);
if (!file || !sessionId) throw new Error("usage: killChild.ts <db file> <session id>");
const store = openStore(file);
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes `line` to stdout, waiting while the pipe is full. */
function print(line: string): void {
  for (;;) {
    try {
      writeSync(1, line);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}
// Bounded so an orphan (parent died before killing it) cannot fill the disk.
for (let i = 0; i < 200_000; i++) {
  const m = store.appendMessage(modelDraft(sessionId, i % 2 ? "critic" : "analyzer", "analysis", `message ${i} ${"x".repeat(i % 300)}`));
  print(`${m.seq}\n`);
}
store.close();
