import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { parseExperiment } from "./loadExperiment.js";
import { fallbackState, stateInput } from "./stateTracking.js";
import { SessionRunner } from "./SessionRunner.js";
import { SlotRegistry } from "../../runtime/slots/SlotRegistry.js";
import { engineResolver } from "../../runtime/library/engineResolver.js";
import { tempStore } from "../../data/store/test/testSupport.js";
import { realTestModel } from "../../../../models/test/testModels.js";
import type { Experiment, StateSpec } from "../../../../shared/experiment.js";
import type { Message } from "../../../../shared/conversation.js";

const spec: StateSpec = {
  role: "tracker",
  fields: {
    agreement: { type: "number", min: 0, max: 1 },
    mood: { type: "enum", values: ["calm", "tense"] },
    settled: { type: "boolean" },
    gist: { type: "string", maxLength: 10 },
  },
};

function experiment(dir: string, state: StateSpec): Experiment {
  return parseExperiment(
    JSON.stringify({
      task: "Tell a story about a fox.",
      seed: 9,
      roles: [
        { name: "teller", model: "MODEL", maxTokens: 24 },
        { name: "tracker", model: "MODEL", maxTokens: 48 },
      ],
      protocol: { kind: "pipeline", steps: ["teller"] },
      state,
    }),
    path.join(dir, "exp.json"),
  ).experiment;
}

const notesOf = (messages: Message[]) => messages.filter((m) => m.from === "system" && m.content.startsWith("State before round"));

test("the fallback state is deterministic and in range", () => {
  const a = fallbackState(spec, "x: one\ny: the latest line here");
  assert.deepEqual(a, { agreement: 0.5, mood: "calm", settled: false, gist: "y: the lat" });
  assert.deepEqual(fallbackState(spec, "x: one\ny: the latest line here"), a);
});

test("state notes are not input to the next state", () => {
  const m = (from: string, content: string, seq: number): Message => ({
    id: `m${seq}`, sessionId: "s", seq, from, to: "all", type: from === "system" ? "system" : "proposal", content, referencesTo: [],
    confidence: null, provenance: null, usage: null, createdAt: seq, round: 1, repairs: [], routing: null,
  });
  const input = stateInput([m("user", "Tell  a\nstory.", 1), m("system", 'State before round 1, from tracker: {"a":1}', 2), m("teller", "Once.", 3)]);
  assert.equal(input, "user (proposal): Tell a story.\nteller (proposal): Once.");
});

test("a session with a state stage posts validated state before each round and records its path", async () => {
  const t = tempStore();
  const registry = new SlotRegistry({ resolver: engineResolver({ modelsDir: t.dir }), stateRoot: path.join(t.dir, "state"), threads: 1 });
  try {
    const model = await realTestModel();
    const exp = experiment(t.dir, spec);
    const runner = new SessionRunner({ experiment: { ...exp, roles: exp.roles.map((r) => ({ ...r, model })) }, store: t.store, registry });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    const notes = notesOf(out.messages);
    assert.ok(notes.length >= 1);
    const state = JSON.parse(notes[0]!.content.slice(notes[0]!.content.indexOf(": {") + 2)) as Record<string, unknown>;
    assert.ok(typeof state.agreement === "number" && state.agreement >= 0 && state.agreement <= 1);
    assert.ok(state.mood === "calm" || state.mood === "tense");
    assert.equal(typeof state.settled, "boolean");
    assert.match(notes[0]!.content, /\[state cache: 0 hits, 1 miss, 0 ms saved\]/);
    const paths = t.store.listMetrics(runner.sessionId).filter((m) => /^state\.(model|cache|fallback)$/.test(m.name));
    assert.ok(paths.length >= 1 && paths.every((m) => ["state.model", "state.cache", "state.fallback"].includes(m.name)));
  } finally {
    await registry.dispose();
    t.cleanup();
  }
});

test("the state cache hits on a repeated input: a second session with the same task and turns, on a real model", async () => {
  const t = tempStore();
  const registry = new SlotRegistry({ resolver: engineResolver({ modelsDir: t.dir }), stateRoot: path.join(t.dir, "state"), threads: 1 });
  // Fields the grammar constrains completely, so the first session's state comes from the model.
  const grammarOnly: StateSpec = { role: "tracker", maxTokens: 64, fields: { mood: { type: "enum", values: ["calm", "tense"] }, settled: { type: "boolean" } } };
  try {
    const model = await realTestModel();
    const run = async (state: StateSpec) => {
      const exp = experiment(t.dir, state);
      const runner = new SessionRunner({ experiment: { ...exp, roles: exp.roles.map((r) => ({ ...r, model })) }, store: t.store, registry });
      const out = await runner.run();
      assert.equal(out.status, "completed", out.error ?? "");
      return { notes: notesOf(out.messages), metrics: t.store.listMetrics(runner.sessionId) };
    };

    const first = await run(grammarOnly);
    assert.match(first.notes[0]!.content, /^State before round 1, from tracker \[state cache: 0 hits, 1 miss, 0 ms saved\]: \{/);

    const second = await run(grammarOnly);
    const note = second.notes[0]!.content;
    assert.match(note, /^State before round 1, from cache \(same previous state and new turns as an earlier run; \d+(\.\d)? m?s saved\) \[state cache: 1 hit, 0 misses, /);
    assert.equal(note.slice(note.indexOf(": {") + 2), first.notes[0]!.content.slice(first.notes[0]!.content.indexOf(": {") + 2), "the same state");
    const saved = second.metrics.filter((m) => m.name === "state.cache.savedMs");
    assert.equal(saved.length, 1);
    assert.ok(saved[0]!.value > 0, "a hit saves the model time the first session spent");
    assert.equal(second.metrics.filter((m) => m.name === "state.model").length, 0);

    const optedOut = await run({ ...grammarOnly, cache: false });
    assert.match(optedOut.notes[0]!.content, /^State before round 1, from tracker: \{/);
    assert.equal(optedOut.metrics.filter((m) => m.name.startsWith("state.cache")).length, 0);
  } finally {
    await registry.dispose();
    t.cleanup();
  }
});
