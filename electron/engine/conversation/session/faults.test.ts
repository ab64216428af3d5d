/**
 * A model process that dies mid-session: the seat is reloaded once with its history, the fault is
 * recorded, and the session goes on; a second death of the same seat fails the session with the
 * reason. Processes are killed for real (SIGKILL), as a crash inside llama.cpp would end them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generatedModel, realTestModel } from "../../../../models/test/testModels.js";
import type { SlotRegistry } from "../../runtime/slots/SlotRegistry.js";
import { SessionRunner } from "./SessionRunner.js";
import { experiment, withSessionParts } from "../../test/sessions.js";

/** Kills the critic's model process at its first token, `times` times. */
function killCritic(registry: SlotRegistry, sessionId: () => string, times: number): () => number {
  let killed = 0;
  let armed = true;
  registry.onEvent((e) => {
    if (e.type === "slot" && e.sessionId === sessionId() && e.slot.role === "critic" && e.slot.status === "ready") armed = true;
    if (e.type !== "token" || e.sessionId !== sessionId() || e.role !== "critic" || !armed || killed >= times) return;
    const pid = registry.get({ sessionId: sessionId(), role: "critic" })?.pid;
    if (!pid) return;
    armed = false;
    killed++;
    process.kill(pid, "SIGKILL");
  });
  return () => killed;
}

async function debate(times: number) {
  return withSessionParts(async ({ store, registry }) => {
    const [real, chat] = [await realTestModel(), await generatedModel("tiny-chat")];
    const runner = new SessionRunner({
      experiment: experiment({
        roles: [
          { name: "teller", model: real, maxTokens: 24, contextSize: 512 },
          { name: "critic", model: chat, maxTokens: 24, contextSize: 512 },
        ],
        protocol: { kind: "debate", rounds: 3, vote: false },
      }),
      store,
      registry,
    });
    const kills = killCritic(registry, () => runner.sessionId, times);
    const faults: string[] = [];
    runner.onEvent((e) => e.type === "fault" && faults.push(e.fault.action));
    const out = await runner.run();
    return { out, kills: kills(), faults, metrics: store.listMetrics(runner.sessionId, "seat.fault") };
  });
}

test("a model process killed mid-session is reloaded once and the session completes", async () => {
  const { out, kills, faults, metrics } = await debate(1);
  assert.equal(kills, 1);
  assert.equal(out.status, "completed", out.error ?? "");
  assert.deepEqual(faults, ["reloaded"]);
  assert.equal(metrics.length, 1);
  const note = out.messages.findIndex((m) => m.from === "system" && m.content.startsWith("Fault: critic's model process died"));
  assert.ok(note >= 0, "the fault is in the transcript");
  assert.ok(out.messages.slice(note).some((m) => m.from === "critic" && m.provenance), "the critic spoke again after the fault");
});

test("a second death of the same seat fails the session with the reason", async () => {
  const { out, kills, faults } = await debate(2);
  assert.equal(kills, 2);
  assert.equal(out.status, "failed");
  assert.match(out.error ?? "", /critic's model process died twice/);
  assert.deepEqual(faults, ["reloaded", "failed"]);
});
