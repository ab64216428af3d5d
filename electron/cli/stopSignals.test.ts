/**
 * Stopping a real `conclave run` with signals: real child processes through bin/conclave.mjs, a
 * real model and a real database. SIGTERM (and a single Ctrl-C) leave the session `interrupted`,
 * so `conclave resume` can take it up; a second Ctrl-C ends the process at once. Waits are on
 * process events, with generous bounds only a stuck process reaches.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { realTestModel } from "../../models/test/testModels.js";
import { SIGNAL_EXIT } from "./stopSignals.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

/** A run that goes on long enough to be stopped: fifty rounds of two roles. */
async function longRun(dir: string): Promise<string> {
  const model = await realTestModel();
  const file = path.join(dir, "long.json");
  const role = (name: string) => ({ name, model, maxTokens: 64, temperature: 0.8 });
  await writeFile(file, JSON.stringify({ title: "long", task: "Tell a story.", seed: 1, roles: [role("a"), role("b")], protocol: { kind: "roundtable", rounds: 50, stopWhen: "rounds", vote: false } }));
  return file;
}

/** Starts the run and resolves once a role's first message is printed (the session is generating). */
async function startRun(dir: string, file: string) {
  const child = spawn(process.execPath, [BIN, "run", file, "--db", path.join(dir, "c.db")], { env: { ...process.env, CONCLAVE_HOME: dir }, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  let out = "";
  let err = "";
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (/^\[m\d+ r\d+\] [ab]/m.test(out)) resolve();
    });
    void exited.then((code) => reject(new Error(`the run ended (${code}) before its first turn: ${err}`)));
  });
  return { child, exited, stderr: () => err };
}

function sessions(dir: string): { id: string; status: string }[] {
  const r = spawnSync(process.execPath, [BIN, "sessions", "--json", "--db", path.join(dir, "c.db")], { encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: dir }, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { id: string; status: string }[];
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal} stops a running \`conclave run\`, leaving the session interrupted and resumable`, { timeout: 600_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "conclave-stop-"));
    try {
      const run = await startRun(dir, await longRun(dir));
      run.child.kill(signal);
      assert.equal(await run.exited, SIGNAL_EXIT[signal], run.stderr());
      assert.match(run.stderr(), /conclave resume/);
      const [s] = sessions(dir);
      assert.equal(s?.status, "interrupted", run.stderr());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test("a second Ctrl-C ends the run at once", { timeout: 600_000 }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "conclave-stop-"));
  try {
    const run = await startRun(dir, await longRun(dir));
    run.child.kill("SIGINT");
    run.child.kill("SIGINT");
    assert.equal(await run.exited, SIGNAL_EXIT.SIGINT, run.stderr());
    // Whatever the first signal had time to record, the session is not left running for good: the
    // next engine marks a session its process left running as interrupted.
    assert.ok(["interrupted", "running"].includes(sessions(dir)[0]?.status ?? ""));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
