import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { openStore } from "./sessionStore.js";
import { tempDir } from "./test/testSupport.js";

const CHILD = fileURLToPath(new URL("./test/killChild.ts", import.meta.url));

/** Runs the appending child, SIGKILLs it after `killAfter` committed seqs, returns every printed seq. */
function appendUntilKilled(file: string, sessionId: string, killAfter: number): Promise<{ printed: number[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, file, sessionId], { stdio: ["ignore", "pipe", "pipe"] });
    const printed: number[] = [];
    let partial = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) printed.push(Number(line));
      if (printed.length >= killAfter && child.exitCode === null) child.kill("SIGKILL");
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`child ended with code ${code}: ${stderr}`));
      // A line cut short by the kill was never fully written, so it does not count as printed.
      else resolve({ printed, signal });
    });
  });
}

test("kill -9 mid-run: every message printed as committed is there on reopen", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = join(dir, "kill.db");
    const setup = openStore(file);
    const session = setup.createSession({ title: "kill", task: "t", protocolKind: "debate", experiment: {} });
    setup.close();

    let expected = 0;
    for (const killAfter of [300, 1000]) {
      const { printed, signal } = await appendUntilKilled(file, session.id, killAfter);
      assert.equal(signal, "SIGKILL");
      assert.ok(printed.length >= killAfter, `printed ${printed.length}`);
      // Seqs continue across runs: the second child starts where the killed one's commits ended.
      assert.equal(printed[0], expected + 1);

      const store = openStore(file);
      const max = printed.at(-1) ?? 0;
      const stored = new Set<number>();
      for (let after = 0; ; ) {
        const page = store.listMessages(session.id, { afterSeq: after, limit: 5000 });
        for (const m of page.messages) stored.add(m.seq);
        if (page.nextAfterSeq === null) break;
        after = page.nextAfterSeq;
      }
      for (const seq of printed) assert.ok(stored.has(seq), `seq ${seq} was printed but is missing`);
      assert.ok(stored.size >= max, "the store may hold more than was printed, never less");
      assert.equal(store.getSession(session.id)?.messageCount, stored.size);
      expected = Math.max(...stored);
      store.close();
    }
  } finally {
    cleanup();
  }
});
