/**
 * The sessions RPCs through the dispatcher over a real engine (store, seat registry, session
 * manager, the real test model): `sessions.create` takes the whole
 * experiment as `conclave run` reads it, refuses a bad one by field path, and `sessions.metrics`
 * returns the series of a finished session, memory samples included.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionInfo } from "../../shared/conversation.js";
import { Experiment } from "../../shared/experiment.js";
import type { SessionMetrics } from "../../shared/metrics.js";
import type { SessionLineage } from "../../shared/lineage.js";
import { realTestModel } from "../../models/test/testModels.js";
import { createEngine } from "../engine/createEngine.js";
import type { Engine } from "../engine/Engine.js";
import { RpcDispatcher } from "./dispatcher.js";

let dir: string;
let services: Engine;
let dispatcher: RpcDispatcher;
let nextId = 1;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "conclave-dispatch-"));
  services = await createEngine({ dbPath: join(dir, "c.db"), modelsDir: join(dir, "models"), exportDir: join(dir, "exports"), stateRoot: join(dir, "state"), log: () => undefined, threads: 1 });
  dispatcher = new RpcDispatcher(services);
});
after(async () => {
  dispatcher?.close();
  await services?.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function call<T>(method: string, params: unknown): Promise<T> {
  const reply = await dispatcher.handle({ kind: "request", id: nextId++, method, params });
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.result as T;
}

async function finished(id: string): Promise<SessionInfo> {
  for (let i = 0; i < 1200; i++) {
    const s = await call<SessionInfo>("sessions.get", { sessionId: id });
    if (s.status !== "running") return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`session ${id} still running after two minutes`);
}

test("sessions.create runs the whole experiment (vote off, seed, sampling, state, context policy) and keeps it verbatim", async () => {
  const model = await realTestModel();
  const experiment = {
    title: "Full experiment",
    task: "Tell a tiny story about a cat.",
    seed: 11,
    roles: [
      { name: "teller", model, system: "You tell stories.", temperature: 0.6, topP: 0.9, topK: 40, maxTokens: 12, contextSize: 512, contextBudget: 300 },
      { name: "critic", model, maxTokens: 12 },
    ],
    protocol: { kind: "roundtable", rounds: 1, chair: "critic", stopWhen: "rounds", vote: false },
    context: { policy: "summarize" },
    state: { role: "critic", fields: { done: { type: "boolean" } }, attempts: 1, maxTokens: 24 },
  };
  const created = await call<SessionInfo>("sessions.create", experiment);
  const done = await finished(created.id);
  assert.equal(done.status, "completed");
  const stored = Experiment.parse(done.experiment);
  assert.equal(stored.protocol.vote, false, "vote: false reaches the runner");
  assert.equal(stored.protocol.chair, "critic");
  assert.equal(stored.seed, 11);
  assert.deepEqual(stored.roles[0], experiment.roles[0]);
  assert.equal(stored.context.policy, "summarize");
  assert.deepEqual(stored.state?.fields, { done: { type: "boolean" } });
  const { messages } = await call<{ messages: Array<{ type: string }> }>("sessions.messages", { sessionId: created.id });
  assert.ok(!messages.some((m) => m.type === "vote"), "no vote was held");

  const metrics = await call<SessionMetrics>("sessions.metrics", { sessionId: created.id });
  assert.ok(metrics.turns.length >= 2, "model turns are plotted");
  assert.ok(metrics.memory.length >= 1, "memory was sampled while the session ran");
  assert.ok(metrics.memory.every((p) => p.budgetBytes > 0));
  assert.equal(metrics.votes.total, 0);
});

test("sessions.create refuses a bad experiment with the field path and reason", async () => {
  const model = await realTestModel();
  await assert.rejects(
    call("sessions.create", { task: "x", roles: [{ name: "a", model, temperature: 9 }], protocol: { kind: "pipeline" } }),
    /invalid-params: sessions\.create: roles\.0\.temperature: /,
  );
  await assert.rejects(
    call("sessions.create", { task: "x", roles: [{ name: "a", model }], protocol: { kind: "roundtable", chair: "ghost" } }),
    /protocol\.chair: 'ghost' is not one of the roles \(a\)/,
  );
  await assert.rejects(
    call("sessions.create", { task: "x", roles: [{ name: "a", model, temprature: 0.5 }], protocol: { kind: "pipeline" } }),
    /invalid-params: sessions\.create: roles\.0\.temprature: unknown field "temprature" \(did you mean 'temperature'\?\)/,
  );
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  await assert.rejects(call("sessions.create", { task: "x", roles: [{ name: "a", model }], protocol: { kind: "pipeline" }, x: deep }), /invalid-params: sessions\.create: x\.0\.0\.0\.0\.0: nested more than 100 levels deep/);
  await assert.rejects(call("sessions.metrics", { sessionId: "missing" }), /failed: no session missing/);
});

test("sessions.fork, sessions.replay and sessions.lineage carry fork and replay, and refuse bad input by field", async () => {
  const model = await realTestModel();
  const experiment = { title: "rpc lineage", task: "Tell a tiny story about a fox.", seed: 4, roles: ["a", "b"].map((name) => ({ name, model, maxTokens: 16, contextSize: 512 })), protocol: { kind: "pipeline" } };
  const source = await finished((await call<SessionInfo>("sessions.create", experiment)).id);
  await assert.rejects(call("sessions.fork", { sessionId: source.id, atSeq: 0 }), /invalid-params: sessions\.fork: atSeq: /);
  await assert.rejects(call("sessions.fork", { sessionId: source.id, atSeq: 2, experiment: { ...experiment, roles: [{ name: "a", model, temperature: 9 }] } }), /invalid-params: sessions\.fork: experiment\.roles\.0\.temperature: /);
  await assert.rejects(call("sessions.fork", { sessionId: source.id, atSeq: 999 }), /failed: atSeq: session .* has \d+ messages/);

  const fork = await call<SessionInfo>("sessions.fork", { sessionId: source.id, atSeq: 4, experiment: { ...experiment, roles: experiment.roles.map((r) => ({ ...r, temperature: 0.2 })) } });
  assert.deepEqual(fork.origin, { kind: "fork", sessionId: source.id, atSeq: 4 });
  assert.equal((await finished(fork.id)).status, "completed");
  const started = await call<{ session: SessionInfo; warnings: unknown[] }>("sessions.replay", { sessionId: source.id });
  assert.deepEqual(started.warnings, []);
  assert.equal((await finished(started.session.id)).status, "completed");

  const family = await call<SessionLineage>("sessions.lineage", { sessionId: source.id });
  assert.deepEqual(family.children.map((s) => [s.id, s.origin?.kind]), [[fork.id, "fork"], [started.session.id, "replay"]]);
  const replay = await call<SessionLineage>("sessions.lineage", { sessionId: started.session.id });
  assert.equal(replay.parent?.id, source.id);
  assert.equal(replay.report?.state, "done", "the report is complete once the replay reads completed");
});
