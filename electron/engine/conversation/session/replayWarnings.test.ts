/**
 * The warnings a replay gives before it runs, read from a real store: which sources cannot be
 * replayed exactly, and why.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Experiment } from "../../../../shared/experiment.js";
import type { ModelIdentity, SwapEventInput } from "../../../../shared/slots.js";
import { modelDraft, tempStore } from "../../data/store/test/testSupport.js";
import { replayWarnings } from "./replayWarnings.js";

const base: Experiment = {
  title: "t",
  task: "x",
  seed: 1,
  roles: [{ name: "a", model: "/m/a.gguf" }, { name: "b", model: "/m/b.gguf" }, { name: "c", model: "/m/c.gguf" }],
  protocol: { kind: "pipeline" },
  swaps: [],
  context: { policy: "drop-oldest" },
};

function source(store: ReturnType<typeof tempStore>["store"], e: Experiment, status: "completed" | "aborted" = "completed") {
  return store.createSession({ title: e.title, task: e.task, protocolKind: e.protocol.kind, experiment: JSON.parse(JSON.stringify(e)), status });
}

const model = (name: string): ModelIdentity => ({
  path: `/m/${name}.gguf`, fileName: `${name}.gguf`, name, sizeBytes: 1, fingerprint: `fp1:${name}`, architecture: "llama",
  parameterCount: 1, quantization: "F32", trainContextSize: 512, vocabSize: 32, hasChatTemplate: false,
});

test("a sequential, local, finished session has nothing to warn about", () => {
  const t = tempStore();
  try {
    const s = source(t.store, base);
    t.store.appendMessage(modelDraft(s.id, "a", "proposal", "hi", { routing: { backend: "local", reason: "first" } }));
    assert.deepEqual(replayWarnings(t.store, t.store.getSession(s.id)!, base), []);
  } finally {
    t.cleanup();
  }
});

test("concurrent steps, remote backends, learned routing, manual swaps, unfinished and forked sources, no seed", () => {
  const t = tempStore();
  try {
    const parallel: Experiment = { ...base, protocol: { kind: "parallel" } };
    const s = source(t.store, parallel, "aborted");
    t.store.appendMessage(modelDraft(s.id, "a", "proposal", "hi", { routing: { backend: "ollama-box", reason: "local was over budget" } }));
    const swap: SwapEventInput = {
      role: "b", kind: "manual", outcome: "ok", from: model("b"), to: model("z"), at: 1, unloadMs: 1, loadMs: 1, prefillMs: 1, tokensReingested: 0,
      tokensEvaluated: 0, historyTokens: 0, historyTurns: 0, keptTurns: 0, droppedTurns: 0, compression: null, usedSavedState: false, error: null,
    };
    t.store.recordSwap({ sessionId: s.id, event: swap, round: 1 });
    const parent = source(t.store, base);
    t.store.lineage.setOrigin(s.id, { kind: "fork", sessionId: parent.id, atSeq: 4 });
    const { seed: _seed, ...unseeded } = parallel;
    const warnings = replayWarnings(t.store, t.store.getSession(s.id)!, unseeded);
    assert.deepEqual(warnings.map((w) => w.kind), ["concurrent", "remote-backend", "manual-swap", "unfinished-source", "fork-prefix", "no-seed"]);
    assert.match(warnings[0]!.message, /^parallel: b, c generate at once in one step/);
    assert.match(warnings[1]!.message, /\(ollama-box\)/);
    assert.match(warnings[2]!.message, /b → z\.gguf in round 1/);
    assert.match(warnings[3]!.message, /the source is aborted: it stopped after 1 message,/);
    // The parent is named by its title, its id beside it for the CLI.
    assert.match(warnings[4]!.message, new RegExp(`fork of session “${base.title}” \\(${parent.id}\\) at message 4`));

    const learned: Experiment = { ...base, protocol: { kind: "route", learn: true } };
    assert.deepEqual(replayWarnings(t.store, source(t.store, learned), learned).map((w) => w.kind), ["learned-routing"]);
    const compare: Experiment = { ...base, protocol: { kind: "compare" } };
    assert.deepEqual(replayWarnings(t.store, source(t.store, compare), compare).map((w) => w.kind), ["concurrent"]);
  } finally {
    t.cleanup();
  }
});
