/**
 * A session whose process is killed (`kill -9` of a `conclave run`) is found `interrupted` by the
 * next engine on that database, resumed from the store, and completes: every message committed
 * before the kill is still there, unchanged and in order, and none is duplicated.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { realTestModel } from "../../../../models/test/testModels.js";
import { createEngine } from "../../createEngine.js";
import { openStore } from "../../data/store/sessionStore.js";
import { engineParts } from "../../engineParts.js";

const BIN = fileURLToPath(new URL("../../../../bin/conclave.mjs", import.meta.url));

/** Runs `conclave run` until `messages` transcript lines are out, then kills it with SIGKILL. */
function runAndKill(file: string, db: string, home: string, messages: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "run", file, "--db", db], { env: { ...process.env, CONCLAVE_HOME: home }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if ((out.match(/^\[m\d+ /gm) ?? []).length >= messages) child.kill("SIGKILL");
    });
    child.once("exit", (code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`run ended by itself (${code}) before the kill\n${out}\n${err}`))));
  });
}

test("kill the host mid-session, restart, resume: it completes with nothing lost or duplicated", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-resume-"));
  try {
    const model = await realTestModel();
    const file = path.join(dir, "debate.json");
    writeFileSync(
      file,
      JSON.stringify({
        title: "resume",
        task: "Tell a story about a lost kitten.",
        seed: 5,
        roles: ["pro", "con"].map((name) => ({ name, model, maxTokens: 24, contextSize: 512 })),
        protocol: { kind: "debate", rounds: 4, vote: false },
      }),
    );
    const db = path.join(dir, "c.db");
    await runAndKill(file, db, dir, 7);

    const probe = openStore(db);
    const [session] = probe.listSessions();
    const before = probe.listMessages(session!.id, { limit: 10_000 }).messages;
    probe.close();
    assert.equal(session!.status, "running", "the killed process never got to end it");
    assert.ok(before.length >= 7);

    const engine = await createEngine({ dbPath: db, modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), threads: 1, keepWarmMs: 0, log: () => undefined });
    try {
      assert.equal((await engine.sessions.get(session!.id)).status, "interrupted");
      await engine.sessions.control(session!.id, "resume");
      const outcome = await engine.sessions.wait(session!.id);
      assert.equal(outcome.status, "completed", outcome.error ?? "");
      const after = engineParts(engine).store.listMessages(session!.id, { limit: 10_000 }).messages;
      assert.deepEqual(after.slice(0, before.length), before, "what was committed is unchanged");
      assert.equal(new Set(after.map((m) => m.id)).size, after.length, "no message twice");
      assert.deepEqual(after.map((m) => m.seq), after.map((_, i) => i + 1), "no gap in the sequence");
      const turns = after.filter((m) => m.provenance);
      assert.equal(turns.length, 8, "4 rounds × 2 debaters, each turn once");
      assert.ok(after.length > before.length, "the session went on after the resume");
    } finally {
      await engine.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
