/**
 * A committee whose models do not all fit runs by rotation: seats are parked (KV state saved) and
 * reloaded as the protocol needs them, the next speaker is prefetched while the current one
 * generates, and the session completes with every turn from the right model.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { distinctModels } from "../../test/registries.js";
import { inspectGguf } from "../../runtime/library/inspectGguf.js";
import type { EngineEvent } from "../../../../shared/slots.js";
import { SessionRunner } from "./SessionRunner.js";
import { experiment, withSessionParts } from "../../test/sessions.js";

test("a four-model roundtable under a budget for two completes by rotation", async () => {
  await withSessionParts(async ({ store, registry }) => {
    const models = await distinctModels(4);
    const fingerprints = await Promise.all(models.map(async (m) => (await inspectGguf(m)).fingerprint));
    await registry.ready();
    const seat = (await registry.estimate(models[0]!, { contextSize: 512 })).estimateBytes;
    // The warm spare plus just under three seats: two models fit at once, three never do (each counts at
    // least its estimate). The slack is for what processes measure beyond their counts (a recycled spare, the
    // inspector after reading a header, a seat after generating), which admission counts too.
    registry.budget = { bytes: registry.usage().reservedBytes + Math.floor(seat * 2.95), rule: "test: two seats" };

    const roles = ["a", "b", "c", "d"].map((name, i) => ({ name, model: models[i]!, maxTokens: 16, contextSize: 512 }));
    const runner = new SessionRunner({ experiment: experiment({ roles, protocol: { kind: "roundtable", rounds: 1, stopWhen: "rounds", vote: false } }), store, registry });
    const plan = await runner.keeper.plan();
    assert.equal(plan.fitsAll, false);
    assert.equal(plan.refused, null);
    assert.ok(plan.loads.some((l) => l.kind === "rotation"), "the plan predicts rotations");
    assert.ok(plan.phases.every((p) => p.resident.length <= 2));

    let peak = 0;
    const resident = new Set<string>();
    registry.onEvent((e: EngineEvent) => {
      if (e.type !== "slot" || e.sessionId !== runner.sessionId) return;
      // A seat holds memory from the moment its model is attached (it has a process) until it is parked.
      if (e.slot.pid !== null) resident.add(e.slot.role);
      else resident.delete(e.slot.role);
      peak = Math.max(peak, resident.size);
    });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    assert.ok(peak <= 2, `at most two seats were resident at once (saw ${peak})`);

    const turns = out.messages.filter((m) => m.provenance);
    assert.equal(turns.length, 9, "4 proposals, 4 critiques and the chair's synthesis");
    for (const m of turns) assert.equal(m.provenance!.fingerprint, fingerprints[roles.findIndex((r) => r.name === m.from)], `${m.from} spoke with its own model`);

    const rotations = store.listSwaps(runner.sessionId).filter((s) => s.event.kind === "rotation");
    assert.ok(rotations.length >= 4, `${rotations.length} rotations recorded`);
    assert.ok(rotations.every((r) => r.event.outcome === "ok"), rotations.map((r) => `${r.event.role}: ${r.event.outcome}${r.event.error ? ` (${r.event.error})` : ""}`).join("; "));
    assert.ok(rotations.some((r) => r.event.usedSavedState), "a parked seat came back from its saved KV state");
    assert.ok(store.listMetrics(runner.sessionId, "residency.prefetchedLoad").length > 0, "the next speaker was loaded while another generated");
  });
});
