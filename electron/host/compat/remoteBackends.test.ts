/**
 * The Ollama and OpenAI-compatible backends and the pool, against second Conclave hosts on
 * 127.0.0.1 serving the real test model, so both sides are real: listing, pull with progress,
 * streaming turns, ps/unload, a budget that switches a session to local work, and a backend server
 * killed mid-stream whose fallback the session records on the message.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestHost, type TestHost } from "../test/testHosts.js";
import { BackendPool } from "../../engine/backends/BackendPool.js";
import { InProcessBackend } from "../../engine/backends/InProcessBackend.js";
import { OllamaBackend } from "../../engine/backends/OllamaBackend.js";
import { OpenAiBackend } from "../../engine/backends/OpenAiBackend.js";
import { bindPoolToSession } from "../../engine/backends/recordRouting.js";
import { SessionBudgets } from "../../engine/budget/SessionBudget.js";
import { SessionRunner } from "../../engine/session/SessionRunner.js";
import { SlotRegistry } from "../../engine/slots/SlotRegistry.js";
import { libraryResolver } from "../../engine/library/libraryResolver.js";
import { openStore, type SessionStore } from "../../engine/store/sessionStore.js";
import { Experiment } from "../../../shared/experiment.js";

let a: TestHost;
let b: TestHost;
let dir: string;
let local: SlotRegistry;
let store: SessionStore;

before(async () => {
  [a, b] = await Promise.all([startTestHost("remote-a"), startTestHost("remote-b")]);
  dir = await mkdtemp(join(tmpdir(), "conclave-pool-"));
  local = new SlotRegistry({ resolver: libraryResolver({ modelsDir: dir }), defaultContextSize: 512, stateRoot: join(dir, "state") });
  store = openStore(join(dir, "sessions.db"));
});
after(async () => {
  await Promise.all([a?.close(), b?.close(), local?.dispose()]);
  store?.close();
  await rm(dir, { recursive: true, force: true });
});

function experiment(roles: string[], maxTokens = 16): Experiment {
  return Experiment.parse({ title: "pool", task: "Tell a short story about a cat.", seed: 7, roles: roles.map((name) => ({ name, model: a.modelPath, maxTokens })), protocol: { kind: "pipeline" } });
}

describe("remote backends against a real Conclave host", () => {
  test("Ollama backend: list, pull with progress, streaming turn, ps and unload", async () => {
    const ollama = new OllamaBackend({ name: "ollama-b", baseUrl: b.base, model: b.modelId, maxTokens: 12 }, b.host.token);
    assert.ok((await ollama.listModels()).some((m) => m.id === b.modelId));
    const progress: number[] = [];
    await ollama.pull(b.modelId, (p) => progress.push(p.completed ?? 0));
    assert.ok(progress.length >= 2);
    let streamed = "";
    const r = await ollama.generateTurn("writer", { turns: [{ role: "user", content: "Once upon a time" }], sampling: { seed: 1 }, onToken: (t) => (streamed += t) });
    assert.equal(r.text, streamed);
    assert.ok(r.usage.completionTokens > 0 && r.usage.completionTokens <= 12);
    assert.equal(r.provenance.modelName, b.modelId);
    assert.ok((await ollama.ps()).some((m) => m.id === b.modelId));
    await ollama.unload();
    assert.ok(!(await ollama.ps()).some((m) => m.id === b.modelId));
  });

  test("OpenAI-compatible backend: list and streaming turn; a wrong key is a non-retryable failure", async () => {
    const oa = new OpenAiBackend({ name: "openai-b", baseUrl: `${b.base}/v1`, model: b.modelId, maxTokens: 12 }, b.host.token);
    assert.ok((await oa.listModels()).some((m) => m.id === b.modelId));
    let streamed = "";
    const r = await oa.generateTurn("writer", { turns: [{ role: "user", content: "The dog" }], sampling: { seed: 2 }, onToken: (t) => (streamed += t) });
    assert.ok(r.text.length > 0 && r.text === streamed);
    assert.ok(r.usage.completionTokens > 0 && r.usage.completionTokens <= 12);
    const wrong = new OpenAiBackend({ name: "wrong", baseUrl: `${b.base}/v1`, model: b.modelId }, "not-the-token");
    await assert.rejects(wrong.generateTurn("writer", { turns: [{ role: "user", content: "x" }] }), (e: Error & { retryable?: boolean }) => e.retryable === false);
  });

  test("a session budget switches work to local backends and records the switch", async () => {
    const budgets = new SessionBudgets(store);
    const pool = new BackendPool({
      backends: [
        new OpenAiBackend({ name: "priced", baseUrl: `${b.base}/v1`, model: b.modelId, maxTokens: 12, pricePer1kInput: 1, pricePer1kOutput: 2 }, b.host.token),
        new InProcessBackend(local, { name: "local" }),
      ],
      budgets,
    });
    const bound = bindPoolToSession(store, pool);
    const runner = new SessionRunner({ experiment: experiment(["drafter", "checker"]), store: bound.store, registry: local, generator: bound.generator, defaultContextSize: 512 });
    // The first turn's cost (well over 0.01) crosses 80% of this limit.
    budgets.setLimit(runner.sessionId, { limit: 0.01 });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    const said = store.listMessages(runner.sessionId).messages.filter((m) => m.provenance);
    assert.equal(said[0]?.routing?.backend, "priced");
    assert.equal(said[1]?.routing?.backend, "local");
    assert.match(said[1]?.routing?.reason ?? "", /budget: spent .* switched to local/);
    assert.equal(store.listMetrics(runner.sessionId, "budget.switchedToLocal").length, 1);
    assert.ok(budgets.spent(runner.sessionId).total > 0.0079);
  });

  test("killing a backend server mid-stream falls back, and the session records it on the message", async () => {
    const pool = new BackendPool({
      backends: [
        new OpenAiBackend({ name: "remote-a", baseUrl: `${a.base}/v1`, model: a.modelId, maxTokens: 24, retries: 1, fallback: ["remote-b"] }, a.host.token),
        new OllamaBackend({ name: "remote-b", baseUrl: b.base, model: b.modelId, maxTokens: 24 }, b.host.token),
        new InProcessBackend(local, { name: "local" }),
      ],
      backoff: { baseMs: 10 },
    });
    // Host A dies the moment its model produces the first token of the turn: the stream is cut mid-turn.
    let killed = false;
    a.engine.onEvent((e) => {
      if (e.type === "token" && !killed) {
        killed = true;
        void a.host.close();
      }
    });
    const bound = bindPoolToSession(store, pool);
    const runner = new SessionRunner({ experiment: experiment(["writer"], 24), store: bound.store, registry: local, generator: bound.generator, defaultContextSize: 512 });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    assert.ok(killed, "host A was killed mid-stream");
    const turn = store.listMessages(runner.sessionId).messages.find((m) => m.from === "writer");
    assert.equal(turn?.routing?.backend, "remote-b");
    assert.match(turn?.routing?.reason ?? "", /fallback to remote-b after remote-a: /);
    assert.equal(turn?.provenance?.modelName, b.modelId);
    const stats = pool.stats();
    assert.ok((stats["remote-a"]?.failures ?? 0) >= 1 && stats["remote-a"]?.lastError);
    assert.equal(stats["remote-b"]?.successRate, 1);
    assert.ok((stats["remote-b"]?.p95LatencyMs ?? 0) > 0);
  });
});
