/**
 * The memory sampler against a real slot registry and a real store: samples are taken when a
 * session is tracked, after a load and a hot swap, and never for sessions it does not track.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { MEMORY_METRIC } from "../../../../shared/metrics.js";
import { generatedModel, realTestModel } from "../../../../models/test/testModels.js";
import { libraryResolver } from "../library/libraryResolver.js";
import { SlotRegistry } from "../slots/SlotRegistry.js";
import { tempStore } from "../../data/store/test/testSupport.js";
import { MemorySampler } from "./memorySampler.js";

let t: ReturnType<typeof tempStore>;
let registry: SlotRegistry;
let real: string;
let chat: string;

before(async () => {
  t = tempStore();
  registry = new SlotRegistry({ resolver: libraryResolver({ modelsDir: t.dir }), stateRoot: path.join(t.dir, "state"), threads: 1, defaultContextSize: 512 });
  real = await realTestModel();
  chat = await generatedModel("tiny-chat");
});
after(async () => {
  await registry.dispose();
  t.cleanup();
});

function newSession(): string {
  return t.store.createSession({ title: "s", task: "t", protocolKind: "pipeline", experiment: {} }).id;
}

test("samples on track, after a load and a swap; the three figures share each timestamp", async () => {
  // An hour between ticks: every sample below comes from tracking or from an engine event.
  const sampler = new MemorySampler({ source: registry, recorder: t.store, intervalMs: 3_600_000 });
  const tracked = newSession();
  const other = newSession();
  try {
    sampler.track(tracked);
    await sampler.sample();
    const before = t.store.listMetrics(tracked, MEMORY_METRIC.measured).length;
    assert.ok(before >= 1);

    await registry.load({ sessionId: null, role: "writer" }, real, { contextSize: 512 });
    await registry.hotSwap({ sessionId: null, role: "writer" }, chat, { contextSize: 512 });
    await sampler.sample();
    const estimates = t.store.listMetrics(tracked, MEMORY_METRIC.estimated);
    const measured = t.store.listMetrics(tracked, MEMORY_METRIC.measured);
    const budgets = t.store.listMetrics(tracked, MEMORY_METRIC.budget);
    assert.ok(measured.length >= before + 2, `load and swap each sampled (${before} → ${measured.length})`);
    assert.deepEqual(estimates.map((m) => m.at), measured.map((m) => m.at));
    assert.deepEqual(budgets.map((m) => m.at), measured.map((m) => m.at));
    assert.ok(estimates.some((m) => m.value > 0) && measured.some((m) => m.value > 0), "a loaded model shows in both");
    assert.ok(budgets.every((m) => m.value === registry.budget.bytes));
    assert.equal(t.store.listMetrics(other).length, 0, "an untracked session gets nothing");

    await sampler.untrack(tracked);
    const final = t.store.listMetrics(tracked, MEMORY_METRIC.measured).length;
    await registry.unload({ sessionId: null, role: "writer" });
    await sampler.sample();
    assert.equal(t.store.listMetrics(tracked, MEMORY_METRIC.measured).length, final, "nothing after untrack");
  } finally {
    await sampler.dispose();
  }
});
