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
import { bindPoolToSession } from "../../engine/backends/test/recordRouting.js";
import { SessionBudgets } from "../../engine/runtime/budget/SessionBudget.js";
import { SessionRunner } from "../../engine/conversation/session/SessionRunner.js";
import { SlotRegistry } from "../../engine/runtime/slots/SlotRegistry.js";
import { libraryResolver } from "../../engine/runtime/library/libraryResolver.js";
import { openStore, type SessionStore } from "../../engine/data/store/sessionStore.js";
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
    // The first turn's worst case (about 0.13) fits the limit, so it runs there; its real cost (well
    // over 0.0075) crosses the 5% switch point, so the next turn goes local.
    budgets.setLimit(runner.sessionId, { limit: 0.15, switchAt: 0.05 });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    const said = store.listMessages(runner.sessionId).messages.filter((m) => m.provenance);
    assert.equal(said[0]?.routing?.backend, "priced");
    assert.equal(said[1]?.routing?.backend, "local");
    assert.match(said[1]?.routing?.reason ?? "", /budget: spent .* switched to local/);
    assert.equal(store.listMetrics(runner.sessionId, "budget.switchedToLocal").length, 1);
    assert.ok(budgets.spent(runner.sessionId).total > 0.0079);
  });

  test("remote turns honour the role's token cap and temperature", async () => {
    const pool = new BackendPool({ backends: [new OpenAiBackend({ name: "remote", baseUrl: `${b.base}/v1`, model: b.modelId, maxTokens: 512 }, b.host.token)] });
    const bound = bindPoolToSession(store, pool);
    const exp = Experiment.parse({ title: "sampling", task: "Tell a long story about a dog.", seed: 5, roles: [{ name: "teller", model: a.modelPath, maxTokens: 6, temperature: 0.3 }], protocol: { kind: "pipeline" } });
    const runner = new SessionRunner({ experiment: exp, store: bound.store, registry: local, generator: bound.generator, defaultContextSize: 512 });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    const turn = store.listMessages(runner.sessionId).messages.find((m) => m.from === "teller");
    assert.equal(turn?.routing?.backend, "remote");
    assert.equal(turn?.provenance?.sampling.maxTokens, 6, "the role's cap, not the backend's 512");
    assert.equal(turn?.provenance?.sampling.temperature, 0.3);
    assert.ok((turn?.usage?.completionTokens ?? 99) <= 6, `completion tokens ${turn?.usage?.completionTokens}`);
  });

  test("an enabled remote backend leaves the JSON-schema grammar on for local turns", async () => {
    const pool = new BackendPool({
      backends: [new InProcessBackend(local, { name: "local" }), new OpenAiBackend({ name: "remote", baseUrl: `${b.base}/v1`, model: b.modelId, maxTokens: 16 }, b.host.token)],
    });
    assert.equal(pool.supportsGrammar, true, "some enabled backend can enforce a schema");
    const bound = bindPoolToSession(store, pool);
    const runner = new SessionRunner({ experiment: experiment(["drafter"], 48), store: bound.store, registry: local, generator: bound.generator, defaultContextSize: 512 });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    const turn = store.listMessages(runner.sessionId).messages.find((m) => m.from === "drafter");
    assert.equal(turn?.routing?.backend, "local");
    // Free text would be "not JSON"; under the grammar the output is JSON from its first character.
    assert.ok(!(turn?.repairs ?? []).some((r) => /not JSON|not valid JSON/.test(r)), (turn?.repairs ?? []).join("; "));
  });

  test("concurrent paid turns cannot spend past the session's budget together", async () => {
    const budgets = new SessionBudgets();
    // $1 an output token, 8 tokens at most: each turn may cost $8; a $20 limit holds two at once.
    const pool = new BackendPool({
      backends: [new OpenAiBackend({ name: "priced", baseUrl: `${b.base}/v1`, model: b.modelId, maxTokens: 8, pricePer1kInput: 0, pricePer1kOutput: 1000, retries: 0 }, b.host.token)],
      budgets,
    });
    budgets.setLimit("concurrent", { limit: 20, switchAt: 0.99 });
    const turns = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => pool.generateTurn("writer", { turns: [{ role: "user", content: `Story ${i}: once upon a time` }], sampling: { seed: i }, sessionId: "concurrent" })),
    );
    const spent = budgets.spent("concurrent").total;
    assert.ok(spent <= 20, `spent ${spent} of 20`);
    assert.ok(turns.some((t) => t.status === "fulfilled"), `some turns ran: ${turns.map((t) => (t.status === "rejected" ? String(t.reason) : "ok")).join("\n")}`);
    const refused = turns.filter((t): t is PromiseRejectedResult => t.status === "rejected");
    assert.ok(refused.length > 0 && refused.every((t) => /budget: a turn here may cost up to 8/.test(String(t.reason))), refused.map((t) => String(t.reason)).join("\n"));
    assert.equal(budgets.available("concurrent"), 20 - spent, "every reservation was settled or released");
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
