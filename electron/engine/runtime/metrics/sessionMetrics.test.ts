/**
 * The Metrics view's series from a real session: the stories-swap example (a roundtable with a vote
 * and a scheduled hot swap) on the real test model, sampled by the memory sampler while it runs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Experiment } from "../../../../shared/experiment.js";
import { hasRealTestModel, realTestModel } from "../../../../models/test/testModels.js";
import { engineResolver } from "../library/engineResolver.js";
import { loadExperiment } from "../../conversation/session/loadExperiment.js";
import { SessionRunner } from "../../conversation/session/SessionRunner.js";
import { SlotRegistry } from "../slots/SlotRegistry.js";
import { tempStore } from "../../data/store/test/testSupport.js";
import { MemorySampler } from "./memorySampler.js";
import { histogram, sessionMetrics } from "./sessionMetrics.js";

const EXAMPLE = fileURLToPath(new URL("../../../../examples/stories-swap.json", import.meta.url));

test("a real session's turns, memory samples, swap marker and votes", async () => {
  const t = tempStore();
  const registry = new SlotRegistry({ resolver: engineResolver({ modelsDir: t.dir }), stateRoot: path.join(t.dir, "state"), threads: 1 });
  const sampler = new MemorySampler({ source: registry, recorder: t.store, intervalMs: 200 });
  try {
    let { experiment } = await loadExperiment(EXAMPLE);
    if (!(await hasRealTestModel())) {
      const model = await realTestModel();
      experiment = { ...experiment, roles: experiment.roles.map((r) => ({ ...r, model })) } satisfies Experiment;
    }
    const runner = new SessionRunner({ experiment, store: t.store, registry });
    sampler.track(runner.sessionId);
    const out = await runner.run();
    await sampler.untrack(runner.sessionId);
    assert.equal(out.status, "completed", out.error ?? "");

    const m = sessionMetrics(t.store, runner.sessionId);
    assert.equal(m.sessionId, runner.sessionId);
    const modelMessages = out.messages.filter((x) => x.usage && x.provenance);
    assert.deepEqual(m.turns.map((x) => x.seq), modelMessages.map((x) => x.seq), "one point per model turn, in order");
    assert.deepEqual([...new Set(m.turns.map((x) => x.role))].sort(), ["critic", "teller"]);
    assert.ok(m.turns.every((x) => x.tokensPerSec === null || x.tokensPerSec > 0));
    assert.ok(m.turns.some((x) => x.tokensPerSec !== null && x.ttftMs !== null), "speeds were recorded");

    assert.equal(m.swaps.length, 1);
    assert.equal(m.swaps[0]?.role, "critic");
    assert.equal(m.swaps[0]?.outcome, "ok");

    assert.ok(m.memory.length >= 2, `memory was sampled (${m.memory.length} points)`);
    for (const p of m.memory) {
      assert.ok(p.budgetBytes > 0 && p.estimatedBytes >= 0 && p.measuredBytes >= 0);
      assert.ok(p.at >= m.startedAt);
    }
    assert.ok(m.memory.some((p) => p.estimatedBytes > 0 && p.measuredBytes > 0), "a sample saw the loaded models");
    assert.deepEqual(m.memory.map((p) => p.at), [...m.memory.map((p) => p.at)].sort((a, b) => a - b));

    const votes = t.store.listVotes(runner.sessionId);
    assert.ok(votes.length > 0, "the roundtable voted");
    assert.equal(m.votes.total, votes.length);
    assert.equal(m.votes.byRole.reduce((s, r) => s + r.votes, 0), votes.length);
    assert.equal(m.votes.scores.reduce((s, b) => s + b.count, 0), votes.filter((v) => v.score !== null).length);
    assert.equal(m.ratings.total, 0);
  } finally {
    await sampler.dispose();
    await registry.dispose();
    t.cleanup();
  }
});

test("histogram buckets: ten of 0.1, 1.0 in the last, 0 in the first", () => {
  const h = histogram([0, 0.05, 0.1, 0.55, 0.99, 1]);
  assert.equal(h.length, 10);
  assert.deepEqual(h.map((b) => b.count), [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
  assert.equal(h[9]?.to, 1);
});

test("an unknown session is refused by name", () => {
  const t = tempStore();
  try {
    assert.throws(() => sessionMetrics(t.store, "nope"), /no session nope/);
  } finally {
    t.cleanup();
  }
});
