import { test } from "node:test";
import assert from "node:assert/strict";
import type { Message, SlotAssignment } from "../../../../shared/conversation.js";
import type { ModelIdentity } from "../../../../shared/slots.js";
import { familyConflict, modelAt, modelFamily } from "./modelFamily.js";
import { ballotFor } from "./voting.js";

const model = (name: string, architecture = "llama"): ModelIdentity => ({
  path: `/m/${name}.gguf`, fileName: `${name}.gguf`, name, sizeBytes: 1, fingerprint: `fp1:${name}`, architecture,
  parameterCount: 1, quantization: "Q8_0", trainContextSize: 512, vocabSize: 32, hasChatTemplate: true,
});
const assign = (role: string, m: ModelIdentity, fromSeq: number): SlotAssignment => ({ sessionId: "s", role, model: m, systemPrompt: null, fromSeq, at: 0 });
const msg = (seq: number, from: string): Message => ({
  id: `id-${seq}`, sessionId: "s", seq, from, to: "all", type: "answer", content: from, referencesTo: [], confidence: null,
  provenance: null, usage: null, createdAt: 0, round: 1, repairs: [], routing: null,
});

test("families: architecture plus the name's first word, letters only", () => {
  assert.equal(modelFamily(model("Llama 3.2 1B Instruct")), "llama:llama");
  assert.equal(modelFamily(model("Llama-3.1-8B")), "llama:llama");
  assert.equal(modelFamily(model("Qwen2.5-0.5B-Instruct", "qwen2")), "qwen2:qwen");
  assert.equal(modelFamily(model("TinyLlama-1.1B-Chat")), "llama:tinyllama");
  assert.equal(modelFamily(model("stories260K")), "llama:stories");
});

test("a judge of the same family as a contestant is excluded; others judge", () => {
  const assignments = [
    assign("judge", model("Llama 3.2 1B"), 1),
    assign("x", model("Qwen2.5 0.5B", "qwen2"), 1),
    assign("y", model("Phi-3 mini", "phi3"), 1),
    // y is swapped to a Llama at seq 10: its later messages are of the judge's family.
    assign("y", model("Llama-3.1-8B"), 10),
  ];
  assert.equal(modelAt(assignments, "y", 5)?.name, "Phi-3 mini");
  assert.equal(modelAt(assignments, "y")?.name, "Llama-3.1-8B");
  const early = ballotFor("judge", [msg(3, "x"), msg(4, "y")], "k", true, "Rank.")!;
  assert.equal(familyConflict(early, assignments), null);
  const late = ballotFor("judge", [msg(3, "x"), msg(12, "y")], "k", true, "Rank.")!;
  assert.match(familyConflict(late, assignments) ?? "", /same model family \(llama:llama\) as y's Llama-3\.1-8B/);
  // Unknown models (remote backends) never exclude.
  assert.equal(familyConflict(late, []), null);
});
