import { test } from "node:test";
import assert from "node:assert/strict";
import { majorityAnswer } from "./majority.js";
import { sameBudgetPlan } from "./sameBudget.js";
import { withinBudget } from "../test/withinBudget.js";

test("majority of extracted answers: folded text or numbers, first wins a tie, nulls abstain", () => {
  assert.deepEqual(majorityAnswer(["Blue", "green", " blue.", null, "GREEN", "blue"]), { answer: "Blue", index: 0, votes: 3, voters: 5 });
  assert.deepEqual(majorityAnswer(["7", "42", "42.0", "the answer is 42"], { kind: "numeric" }), { answer: "42", index: 1, votes: 3, voters: 4 });
  assert.deepEqual(majorityAnswer(["a", "b"]), { answer: "a", index: 0, votes: 1, voters: 2 });
  assert.deepEqual(majorityAnswer([null, null]), { answer: null, index: null, votes: 0, voters: 0 });
});

test("same-budget plans spend what the committee spent", () => {
  assert.deepEqual(sameBudgetPlan("single", 300), { samples: 1, maxTokensPerSample: 300, totalTokens: 300 });
  assert.deepEqual(sameBudgetPlan("self-consistency", 640, { perSample: 128 }), { samples: 5, maxTokensPerSample: 128, totalTokens: 640 });
  assert.deepEqual(sameBudgetPlan("best-of-n", 700, { perSample: 128 }), { samples: 5, maxTokensPerSample: 140, totalTokens: 700 });
  assert.deepEqual(sameBudgetPlan("self-consistency", 40, { perSample: 128 }), { samples: 2, maxTokensPerSample: 20, totalTokens: 40 });
  assert.deepEqual(sameBudgetPlan("self-consistency", 10_000, { perSample: 100, maxSamples: 8 }), { samples: 8, maxTokensPerSample: 1250, totalTokens: 10_000 });
  for (const tokens of [17, 333, 1001]) assert.ok(withinBudget(tokens, sameBudgetPlan("self-consistency", tokens).totalTokens));
  assert.equal(withinBudget(100, 111), false);
  assert.throws(() => sameBudgetPlan("single", 0), /positive integer/);
});
