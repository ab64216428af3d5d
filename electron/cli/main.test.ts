import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { conclaveHome, engineFlags } from "./main.js";
import { modelDraft, tempStore } from "../engine/data/store/test/testSupport.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

function conclave(args: string[], home: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: home }, timeout: 60_000 });
}

test("a malformed experiment exits non-zero naming the file, the field and the reason", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-cli-"));
  try {
    const file = path.join(dir, "broken.json");
    writeFileSync(file, JSON.stringify({ task: "x", roles: [{ name: "a b", model: "m.gguf" }], protocol: { kind: "roundtable", rounds: 0 } }));
    const r = conclave(["run", file, "--db", path.join(dir, "c.db")], dir);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /broken\.json/);
    assert.match(r.stderr, /roles\[0\]\.name: a role name is/);
    assert.match(r.stderr, /protocol\.rounds: /);

    const s = conclave(["sessions", "--json"], dir);
    assert.equal(s.status, 0, s.stderr);
    assert.deepEqual(JSON.parse(s.stdout), []);
    assert.equal(conclave(["export", "--last", "--format", "xml", "--out", "x"], dir).status, 2);
    assert.equal(conclave(["frobnicate"], dir).status, 2);
    for (const out of [".", "..", "exports/..", "exports/"]) {
      const e = conclave(["export", "--last", "--format", "json", "--out", out], dir);
      assert.equal(e.status, 2, e.stderr);
      assert.match(e.stderr, /--out must name a file/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("serve on a port already in use exits non-zero and says which port, instead of running without listening", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-cli-port-"));
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  try {
    const port = (blocker.address() as AddressInfo).port;
    writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>Conclave</title>");
    const r = await conclaveAsync(["serve", "--port", String(port), "--static-dir", dir, "--db", path.join(dir, "c.db"), "--models", path.join(dir, "models")], dir);
    assert.equal(r.timedOut, false, "serve kept running on a port it could not listen on");
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`port ${port} is already in use`));
    assert.doesNotMatch(r.stdout, /Conclave listening/);
  } finally {
    blocker.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an engine command given --db keeps its exports beside that database", () => {
  const flags = engineFlags({ db: path.join("/tmp", "elsewhere", "c.db") });
  assert.equal(flags.exportDir, path.join("/tmp", "elsewhere", "exports"));
  assert.equal(engineFlags({}).exportDir, path.join(conclaveHome(), "exports"));
});

test("conclave export takes the request the UI sends: the context window too, refused by flag when bad", () => {
  const t = tempStore();
  try {
    t.store.createSession({ id: "long", title: "l", task: "Count.", protocolKind: "debate", experiment: {} });
    for (let i = 1; i <= 40; i++) t.store.appendMessage(modelDraft("long", i % 2 ? "a" : "b", i === 10 ? "summary" : "analysis", `n${i}`));
    t.store.close();
    const out = path.join(t.dir, "w.jsonl");
    const r = conclave(["export", "long", "--format", "openai", "--out", out, "--roles", "a", "--context-messages", "4", "--db", t.file], t.dir);
    assert.equal(r.status, 0, r.stderr);
    const last = JSON.parse(readFileSync(out, "utf8").trim().split("\n").at(-1)!) as { messages: Array<{ content: string }> };
    assert.deepEqual(last.messages.map((m) => m.content), ["Count.", "n10", "n35", "n36", "n37", "n38", "n39"]);
    const all = conclave(["export", "long", "--format", "openai", "--out", out, "--roles", "a", "--context-messages", "all", "--db", t.file], t.dir);
    assert.equal(all.status, 0, all.stderr);
    assert.equal((JSON.parse(readFileSync(out, "utf8").trim().split("\n").at(-1)!) as { messages: unknown[] }).messages.length, 40);
    const bad = conclave(["export", "long", "--format", "openai", "--out", out, "--context-messages=-1", "--db", t.file], t.dir);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /--context-messages: /);
  } finally {
    t.cleanup();
  }
});

/** Like `conclave` but without blocking the event loop, so a port can be held open meanwhile. */
function conclaveAsync(args: string[], home: string): Promise<{ status: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, CONCLAVE_HOME: home } });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (c: Buffer) => (stdout += String(c)));
    child.stderr.on("data", (c: Buffer) => (stderr += String(c)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, 120_000);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut });
    });
  });
}
