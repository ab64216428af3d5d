/**
 * The committee-knowledge RPCs through the dispatcher over a real engine on a real SQLite file:
 * `presets.expand` shows what a preset sets (the real test model), `advice.get` returns the contract's
 * advice, `solutions.use` what the library did for a session — and bad params name their field.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Advice } from "../../shared/advice.js";
import { rpcMethods } from "../../shared/rpc.js";
import { realTestModel } from "../../models/test/testModels.js";
import { openStore } from "../engine/data/store/sessionStore.js";
import { modelDraft } from "../engine/data/store/test/testSupport.js";
import { createEngine } from "../engine/createEngine.js";
import { RpcDispatcher } from "./dispatcher.js";

test("presets.expand, advice.get and solutions.use over the RPC, with bad params refused by field", async () => {
  const dir = await mkdtemp(join(tmpdir(), "conclave-memory-rpc-"));
  const dbPath = join(dir, "conclave.db");
  const engine = await createEngine({ dbPath, modelsDir: join(dir, "models"), exportDir: join(dir, "exports"), stateRoot: join(dir, "state"), log: () => undefined });
  const dispatcher = new RpcDispatcher(engine);
  let id = 1;
  const call = (method: string, params: unknown) => dispatcher.handle({ kind: "request", id: id++, method, params });
  try {
    const writer = openStore(dbPath);
    const s = writer.createSession({ title: "rpc advice", task: "Name a river.", protocolKind: "pipeline", experiment: {} });
    writer.appendMessage(modelDraft(s.id, "a", "answer", "The Danube flows east."));
    writer.close();

    const model = await realTestModel();
    const expanded = await call("presets.expand", { experiment: { task: "Tell a story.", roles: [{ name: "a", model }, { name: "b", model }], protocol: { kind: "pipeline" }, preset: "reliable" } });
    assert.equal(expanded.ok, true, JSON.stringify(expanded));
    const result = rpcMethods["presets.expand"].result.parse(expanded.ok ? expanded.result : null);
    assert.equal(result.experiment.protocol.kind, "validate");
    assert.equal(result.expansion?.preset, "reliable");
    const plain = await call("presets.expand", { experiment: { task: "t", roles: [{ name: "a", model }], protocol: { kind: "pipeline" } } });
    assert.equal(plain.ok && plain.result !== null && (plain.result as { expansion: unknown }).expansion, null, "no preset: nothing to expand");

    const advice = await call("advice.get", { target: s.id });
    assert.equal(advice.ok, true, JSON.stringify(advice));
    const a = Advice.parse(advice.ok ? advice.result : null);
    assert.deepEqual(a.members.map((m) => [m.figures.member, m.recommendation]), [["a", "KEEP"]]);

    const use = await call("solutions.use", { sessionId: s.id });
    assert.deepEqual(use.ok && use.result, null, "the session did not use the library");

    const bad = await call("advice.get", { target: s.id, leaveOneOut: 50 });
    assert.match(!bad.ok ? `${bad.error.code} ${bad.error.message}` : "", /^invalid-params advice\.get: leaveOneOut: /);
    const badPreset = await call("presets.expand", { experiment: { task: "t", roles: [{ name: "a", model }], protocol: { kind: "pipeline" }, preset: "turbo" } });
    assert.match(!badPreset.ok ? `${badPreset.error.code} ${badPreset.error.message}` : "", /^invalid-params presets\.expand: experiment\.preset: /);
    const missing = await call("solutions.use", { sessionId: "nope" });
    assert.deepEqual(!missing.ok && missing.error, { code: "failed", message: "no session nope" });
  } finally {
    dispatcher.close();
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
