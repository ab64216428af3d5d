/**
 * `conclave run` with per-role backends, as a user runs it: the real CLI in its own process, a
 * second Conclave host on another loopback port as the OpenAI-compatible backend, keys only in the
 * environment. A backend the experiment defines, and one saved in the app's settings of the same
 * database, both serve a role; a key written into the file, or an unknown backend, is refused.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { startTestHost, type TestHost } from "../host/test/testHosts.js";
import { createEngine } from "../engine/createEngine.js";
import { openStore } from "../engine/data/store/sessionStore.js";
import { BackendUpsert } from "../../shared/backends.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

let remote: TestHost;
let dir: string;

before(async () => {
  remote = await startTestHost("cli-remote");
  dir = mkdtempSync(path.join(tmpdir(), "conclave-cli-backends-"));
});
after(async () => {
  await remote?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI in its own process; asynchronously, since the backend host lives in this one. */
function conclave(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  // Only the keys this test gives: none leaks in from the machine's environment.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^CONCLAVE_.*_API_KEY$/.test(k)));
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...clean, CONCLAVE_HOME: dir, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function experimentFile(name: string, critic: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const file = path.join(dir, name);
  const experiment = {
    title: name,
    task: "Tell a short story about a brave cat.",
    seed: 3,
    roles: [
      { name: "teller", model: remote.modelPath, maxTokens: 24, contextSize: 512 },
      { name: "critic", model: remote.modelPath, maxTokens: 24, contextSize: 512, ...critic },
    ],
    protocol: { kind: "pipeline" },
    ...extra,
  };
  writeFileSync(file, name.endsWith(".yaml") ? stringify(experiment) : JSON.stringify(experiment));
  return file;
}

function routingOf(db: string): Array<[string, string | undefined]> {
  const store = openStore(db);
  try {
    const last = store.listSessions({ limit: 1 })[0];
    assert.ok(last);
    return store.listMessages(last.id).messages.filter((m) => m.provenance).map((m) => [m.from, m.routing?.backend]);
  } finally {
    store.close();
  }
}

test("a backend defined in the experiment, its key from the environment", async () => {
  const define = [{ name: "lab2", provider: "openai", baseUrl: `${remote.base}/v1`, model: remote.modelId, maxTokens: 24, retries: 0 }];
  const file = experimentFile("defined.yaml", { backend: "lab2" }, { backends: { define } });
  const db = path.join(dir, "defined.db");
  const r = await conclave(["run", file, "--db", db], { CONCLAVE_LAB2_API_KEY: remote.host.token });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\] critic /);
  assert.deepEqual(routingOf(db), [["teller", "local"], ["critic", "lab2"]]);

  // Without the key the second host refuses the turn (401), and the run says so.
  const keyless = await conclave(["run", file, "--db", db]);
  assert.equal(keyless.status, 1, keyless.stderr);
  assert.match(keyless.stderr, /lab2: POST \/chat\/completions answered 401/);
});

test("a backend from the app's settings in the same database, its key from the environment", async () => {
  const db = path.join(dir, "settings.db");
  const engine = await createEngine({ dbPath: db, modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), log: () => undefined });
  try {
    await engine.backends.upsert(BackendUpsert.parse({ config: { name: "lab4", provider: "openai", baseUrl: `${remote.base}/v1`, model: remote.modelId, maxTokens: 24, retries: 0 } }));
  } finally {
    await engine.dispose();
  }
  const file = experimentFile("settings.json", { backend: "lab4", fallback: ["local"] });
  const r = await conclave(["run", file, "--db", db], { CONCLAVE_LAB4_API_KEY: remote.host.token });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(routingOf(db), [["teller", "local"], ["critic", "lab4"]]);
});

test("a key in the experiment file and an unknown backend are refused, naming the file and the field", async () => {
  const keyed = experimentFile("keyed.json", { backend: "lab2" }, {
    backends: { define: [{ name: "lab2", provider: "openai", baseUrl: `${remote.base}/v1`, model: remote.modelId, apiKey: remote.host.token }] },
  });
  const r = await conclave(["run", keyed, "--db", path.join(dir, "refused.db")]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /keyed\.json/);
  assert.match(r.stderr, /backends\.define\[0\]\.apiKey: an API key never goes in an experiment file/);
  assert.ok(!r.stderr.includes(remote.host.token), "the key is not echoed");

  const unknown = experimentFile("unknown.json", { backend: "nowhere" });
  const u = await conclave(["run", unknown, "--db", path.join(dir, "refused.db")]);
  assert.equal(u.status, 2, u.stderr);
  assert.match(u.stderr, /unknown\.json/);
  assert.match(u.stderr, /roles\[1\]\.backend: 'nowhere' is not a backend here/);
});
