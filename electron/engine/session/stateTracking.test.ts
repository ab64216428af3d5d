import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { parseExperiment } from "./loadExperiment.js";
import { fallbackState } from "./stateTracking.js";
import { SessionRunner } from "./SessionRunner.js";
import { SlotRegistry } from "../slots/SlotRegistry.js";
import { engineResolver } from "../library/engineResolver.js";
import { tempStore } from "../store/testSupport.js";
import { realTestModel } from "../../../models/testModels.js";
import type { StateSpec } from "../../../shared/experiment.js";

const spec: StateSpec = {
  role: "tracker",
  fields: {
    agreement: { type: "number", min: 0, max: 1 },
    mood: { type: "enum", values: ["calm", "tense"] },
    settled: { type: "boolean" },
    gist: { type: "string", maxLength: 10 },
  },
};

test("the fallback state is deterministic and in range", () => {
  const a = fallbackState(spec, "x: one\ny: the latest line here");
  assert.deepEqual(a, { agreement: 0.5, mood: "calm", settled: false, gist: "y: the lat" });
  assert.deepEqual(fallbackState(spec, "x: one\ny: the latest line here"), a);
});

test("a session with a state stage posts validated state before each round and records its path", async () => {
  const t = tempStore();
  const registry = new SlotRegistry({ resolver: engineResolver({ modelsDir: t.dir }), stateRoot: path.join(t.dir, "state"), threads: 1 });
  try {
    const model = await realTestModel();
    const { experiment } = parseExperiment(
      JSON.stringify({
        task: "Tell a story about a fox.",
        seed: 9,
        roles: [
          { name: "teller", model, maxTokens: 24 },
          { name: "tracker", model, maxTokens: 48 },
        ],
        protocol: { kind: "pipeline", steps: ["teller"] },
        state: spec,
      }),
      path.join(t.dir, "exp.json"),
    );
    const runner = new SessionRunner({ experiment, store: t.store, registry });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    const notes = out.messages.filter((m) => m.from === "system" && m.content.startsWith("State before round"));
    assert.ok(notes.length >= 1);
    const state = JSON.parse(notes[0]!.content.slice(notes[0]!.content.indexOf(": {") + 2)) as Record<string, unknown>;
    assert.ok(typeof state.agreement === "number" && state.agreement >= 0 && state.agreement <= 1);
    assert.ok(state.mood === "calm" || state.mood === "tense");
    assert.equal(typeof state.settled, "boolean");
    const paths = t.store.listMetrics(runner.sessionId).filter((m) => m.name.startsWith("state."));
    assert.ok(paths.length >= 1 && paths.every((m) => ["state.model", "state.cache", "state.fallback"].includes(m.name)));
  } finally {
    await registry.dispose();
    t.cleanup();
  }
});
