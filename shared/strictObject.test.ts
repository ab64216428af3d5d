import { test } from "node:test";
import assert from "node:assert/strict";
import { checkExperimentInput } from "./experimentInput.js";
import { closestName, editDistance } from "./strictObject.js";

const base = { task: "t", roles: [{ name: "a", model: "m.gguf" }, { name: "b", model: "m.gguf" }], protocol: { kind: "roundtable" } };
const issues = (input: unknown): string[] => {
  const r = checkExperimentInput(input);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
};

test("unknown fields are errors at their own path, with the declared field they most likely misspell", () => {
  assert.deepEqual(issues({ ...base, roundz: 3 }), ['roundz: unknown field "roundz"']);
  assert.deepEqual(issues({ ...base, protocol: { kind: "roundtable", roundz: 3 } }), [`protocol.roundz: unknown field "roundz" (did you mean 'rounds'?)`]);
  assert.deepEqual(issues({ ...base, roles: [{ name: "a", model: "m.gguf", temprature: 0.5 }] }), [`roles[0].temprature: unknown field "temprature" (did you mean 'temperature'?)`]);
  assert.deepEqual(issues({ ...base, protocol: { kind: "roundtable", chiar: "a" } }), [`protocol.chiar: unknown field "chiar" (did you mean 'chair'?)`]);
  assert.deepEqual(issues({ ...base, tasks: [{ id: "1", promt: "p", prompt: "p" }] }), [`tasks[0].promt: unknown field "promt" (did you mean 'prompt'?)`]);
  assert.deepEqual(issues({ ...base, contxt: { policy: "summarize" } }), [`contxt: unknown field "contxt" (did you mean 'context'?)`]);
  assert.deepEqual(issues({ ...base, context: { polcy: "summarize" } }), [`context.polcy: unknown field "polcy" (did you mean 'policy'?)`]);
  assert.deepEqual(issues({ ...base, check: { kind: "regex", patern: "x" }, tasks: [{ id: "1", prompt: "p", reference: "x" }] }), [`check.patern: unknown field "patern" (did you mean 'pattern'?)`]);
  const two = issues({ ...base, roles: [{ name: "a", model: "m.gguf", topk: 3, zzzzzz: 1 }] });
  assert.deepEqual(two, [`roles[0].topk: unknown field "topk" (did you mean 'topK'?)`, `roles[0].zzzzzz: unknown field "zzzzzz"`]);
  assert.deepEqual(issues(base), []);
});

test("suggestions: edit distance with swaps, nothing suggested for a far-off name", () => {
  assert.equal(editDistance("temprature", "temperature"), 1);
  assert.equal(editDistance("chiar", "chair"), 1);
  assert.equal(closestName("model", ["name", "system"]), null);
  assert.equal(closestName("x".repeat(10_000), ["x"]), null);
});
