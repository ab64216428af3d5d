import { test } from "node:test";
import assert from "node:assert/strict";
import { splitHarmonyThought } from "./harmonyThought.js";

test("a harmony thought script splits at the thought's end; the final channel's opening is optional", () => {
  const thought = "<|channel|>analysis<|message|>Sum it.<|end|>";
  assert.deepEqual(splitHarmonyThought(`${thought}<|start|>assistant<|channel|>final<|message|>Four.`), { thought, answer: "Four." });
  assert.deepEqual(splitHarmonyThought(`${thought}Four.`), { thought, answer: "Four." });
  assert.equal(splitHarmonyThought("Four."), null);
});

test("a thought that never closes, or has no answer, is refused", () => {
  assert.throws(() => splitHarmonyThought("<|channel|>analysis<|message|>Sum it."), /never closes it with <\|end\|>/);
  assert.throws(() => splitHarmonyThought("<|channel|>analysis<|message|>Sum it.<|end|><|start|>assistant<|channel|>final<|message|>"), /no answer after it/);
});
