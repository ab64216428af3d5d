/**
 * The backend pool wired into the host end to end, over the real RPC socket: a backend added with
 * an API key (this host's own token, so a missing or wrong key would fail the turn) is listed without
 * the key, sessions run through the pool on the real test model with routing recorded on every
 * model message, and the key reaches neither the database nor any reply.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";
import type { Message, SessionInfo } from "../../shared/conversation.js";
import type { BackendEntry } from "../../shared/backends.js";
import { startTestHost, type TestHost } from "./test/testHosts.js";
import { createEngine } from "../engine/createEngine.js";

let h: TestHost;
let ws: WebSocket;
let nextId = 1;
/** Every reply frame as received, to prove none carries the key. */
const replies: string[] = [];

before(async () => {
  h = await startTestHost("backends");
  ws = new WebSocket(`ws://127.0.0.1:${h.host.port}/rpc?token=${h.host.token}`);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
});
after(async () => {
  ws?.close();
  await h?.close();
});

/** One RPC over the socket; rejects with the host's error message. */
function call<T>(method: string, params: unknown): Promise<T> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (data: Buffer): void => {
      const text = String(data);
      const frame = JSON.parse(text) as { kind: string; id?: number; ok?: boolean; result?: unknown; error?: { message: string } };
      if (frame.kind !== "reply" || frame.id !== id) return;
      ws.off("message", onMessage);
      replies.push(text);
      if (frame.ok) resolve(frame.result as T);
      else reject(new Error(frame.error?.message ?? "failed"));
    };
    ws.on("message", onMessage);
    ws.send(JSON.stringify({ kind: "request", id, method, params }));
  });
}

async function runSession(role: string, budgetUsd?: number): Promise<{ session: SessionInfo; messages: Message[] }> {
  const created = await call<SessionInfo>("sessions.create", {
    task: "Tell a tiny story about a cat.",
    seed: 5,
    roles: [{ name: role, model: h.modelPath, maxTokens: 8 }],
    protocol: { kind: "pipeline" },
    ...(budgetUsd !== undefined ? { budget: { usd: budgetUsd } } : {}),
  });
  let session = created;
  for (let i = 0; i < 600 && session.status === "running"; i++) {
    await new Promise((r) => setTimeout(r, 100));
    session = await call<SessionInfo>("sessions.get", { sessionId: created.id });
  }
  const { messages } = await call<{ messages: Message[] }>("sessions.messages", { sessionId: created.id });
  assert.equal(session.status, "completed", messages.map((m) => m.content).join("\n"));
  return { session, messages };
}

test("backends over RPC: add with a key, list without it, sessions routed through the pool", async () => {
  const key = h.host.token;
  const initial = await call<BackendEntry[]>("backends.list", {});
  assert.deepEqual(
    initial.map((b) => [b.config.name, b.config.provider, b.builtIn, b.config.pricePer1kInput]),
    [["local", "in-process", true, 0]],
  );

  const added = await call<BackendEntry>("backends.upsert", {
    config: { name: "self", provider: "openai", baseUrl: `${h.base}/v1`, model: h.modelId, maxTokens: 8, pricePer1kInput: 0.5, pricePer1kOutput: 1.5, retries: 0 },
    apiKey: key,
  });
  assert.equal(added.hasApiKey, true);
  assert.equal(added.stats.calls, 0);
  await assert.rejects(call("backends.upsert", { config: { name: "local", provider: "openai", baseUrl: "http://127.0.0.1:9/v1" } }), /built-in/);
  await assert.rejects(call("backends.upsert", { config: { name: "bad", provider: "openai", baseUrl: "file:///etc" } }), /base URL/);

  // With `local` off, the first enabled backend is the keyed one: the turn goes out over HTTP.
  assert.equal((await call<BackendEntry>("backends.setEnabled", { name: "local", enabled: false })).config.enabled, false);
  const remote = await runSession("writer", 5);
  const said = remote.messages.filter((m) => m.provenance);
  assert.ok(said.length >= 1);
  for (const m of said) {
    assert.equal(m.routing?.backend, "self");
    assert.match(m.routing?.reason ?? "", /first enabled backend/);
    assert.match(m.provenance?.fingerprint ?? "", /^remote:openai:self\//);
  }
  assert.deepEqual((remote.session.experiment as { budget?: unknown }).budget, { usd: 5 });

  const listed = await call<BackendEntry[]>("backends.list", {});
  const self = listed.find((b) => b.config.name === "self");
  assert.ok(self && self.stats.calls >= 1 && self.stats.successRate === 1, JSON.stringify(self?.stats));
  assert.ok((self.stats.avgLatencyMs ?? 0) > 0 && (self.stats.p95LatencyMs ?? 0) > 0);
  assert.equal(self.stats.circuit, "closed");

  await call("backends.setEnabled", { name: "local", enabled: true });
  const local = await runSession("checker");
  assert.ok(local.messages.filter((m) => m.provenance).every((m) => m.routing?.backend === "local"));

  // Editing without a key keeps the stored one; removing the backend forgets it.
  const edited = await call<BackendEntry>("backends.upsert", { config: { name: "self", provider: "openai", baseUrl: `${h.base}/v1`, model: h.modelId, maxTokens: 4 } });
  assert.equal(edited.hasApiKey, true);
  assert.equal(edited.config.maxTokens, 4);

  assert.ok(replies.every((r) => !r.includes(key)), "no reply carries the key");
  const dbFiles = (await readdir(h.dir)).filter((f) => f.startsWith("conclave.db")).map((f) => join(h.dir, f));
  assert.ok(dbFiles.length >= 1);
  for (const file of dbFiles) assert.equal((await readFile(file).catch(() => Buffer.alloc(0))).indexOf(key), -1, `${file} holds the key`);
  const keysFile = join(h.dir, "keys.json");
  assert.equal((await stat(keysFile)).mode & 0o777, 0o600, "the headless keys file is private");

  await call("backends.remove", { name: "self" });
  assert.deepEqual((await call<BackendEntry[]>("backends.list", {})).map((b) => b.config.name), ["local"]);
  assert.equal((await readFile(keysFile, "utf8")).indexOf(key), -1, "removing a backend deletes its key");
  await assert.rejects(call("backends.remove", { name: "local" }), /built-in/);
});

test("the pool is rebuilt at start from the saved, key-free configs", async () => {
  const dir = await mkdtemp(join(tmpdir(), "conclave-backends-restart-"));
  const open = () => createEngine({ dbPath: join(dir, "c.db"), modelsDir: join(dir, "models"), exportDir: join(dir, "exports"), log: () => undefined });
  try {
    const first = await open();
    await first.backends.upsert({
      config: { name: "cloud", provider: "ollama", baseUrl: "http://127.0.0.1:9", model: "m", maxTokens: 16, enabled: true, weight: 2, pricePer1kInput: 0.1, pricePer1kOutput: 0.2, timeoutMs: 1000, retries: 0, fallback: ["local"] },
      apiKey: "restart-secret-0123456789",
    });
    await first.backends.setEnabled("local", false);
    await first.dispose();

    const second = await open();
    const listed = await second.backends.list();
    await second.dispose();
    assert.deepEqual(listed.map((b) => [b.config.name, b.config.enabled, b.hasApiKey]), [["local", false, false], ["cloud", true, true]]);
    assert.deepEqual(listed[1]?.config.fallback, ["local"]);
    assert.equal(listed[1]?.config.weight, 2);
    for (const f of (await readdir(dir)).filter((f) => f.startsWith("c.db"))) {
      // A WAL side file may vanish as the last connection closes; what is gone holds nothing.
      const bytes = await readFile(join(dir, f)).catch(() => Buffer.alloc(0));
      assert.equal(bytes.indexOf("restart-secret-0123456789"), -1);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
